package org.mailhive.api.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailhive.api.mail.MessageContent;

class MessageHeadersTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageHeaders read(String message) throws IOException {
        return MessageHeaders.read(new ByteArrayInputStream(bytes(message)));
    }

    @Test
    void rawStopsAfterTheEmptyLineAndFieldsAreUnfolded() throws IOException {
        String header = "Subject: a long\r\n  folded\r\n\tsubject\r\nFrom: Bob <bob@example.net>\r\n"
                + "Received: from a\r\nReceived: from b\r\n by c\r\n\r\n";
        MessageHeaders h = read(header + "Body: not a header\r\n\r\nmore\r\n");
        assertArrayEquals(bytes(header), h.raw());
        assertEquals(header.length(), h.size());
        assertFalse(h.truncated());
        assertEquals("a long  folded\tsubject", h.get("SUBJECT"));
        assertEquals(List.of("from a", "from b by c"), h.all("received"));
        assertEquals(List.of(new MessageHeaders.Field("Subject", "a long  folded\tsubject"),
                new MessageHeaders.Field("From", "Bob <bob@example.net>"),
                new MessageHeaders.Field("Received", "from a"), new MessageHeaders.Field("Received", "from b by c")),
                h.fields());
        assertNull(h.get("Body"));
        assertEquals(List.of(), h.all("Cc"));
    }

    @Test
    void oddLinesAndObsoleteSyntax() throws IOException {
        MessageHeaders h = read("From somebody Mon Jan  1\r\nX-Empty:\r\nSubject : spaced\r\n"
                + "To:\tcarol@example.org\r\nX-Utf8: \u00e9t\u00e9\r\n\r\n");
        assertEquals("", h.get("x-empty"));
        assertEquals("spaced", h.get("Subject"));
        assertEquals("carol@example.org", h.get("To"));
        assertEquals("\u00e9t\u00e9", h.get("X-Utf8"));
        assertEquals(4, h.fields().size(), "the mbox From_ line is no field: " + h.fields());

        MessageHeaders latin = MessageHeaders.of(new byte[] {'X', ':', ' ', (byte) 0xe9, '\r', '\n', '\r', '\n'}, false);
        assertEquals("\u00e9", latin.get("X"), "bytes that are not UTF-8 read as ISO-8859-1");
    }

    @Test
    void messageWithoutBodyOrHeader() throws IOException {
        assertArrayEquals(bytes("Subject: only\r\n"), read("Subject: only\r\n").raw());
        assertArrayEquals(bytes("\r\n"), read("\r\nbody without header\r\n").raw());
        assertEquals(List.of(), read("\r\nSubject: in the body\r\n").fields());
        assertEquals(0, read("").size());
    }

    @Test
    void emptyLineSplitAcrossReadsIsFound() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 8 * 1024 - 20) sb.append("X-Pad: 0123456789012345678901234567890123456789\r\n");
        while (sb.length() < 8 * 1024 - 2) sb.append('x');
        sb.append("\r\n\r\nbody");
        String header = sb.substring(0, sb.length() - 4);
        MessageHeaders h = read(sb.toString());
        assertArrayEquals(bytes(header), h.raw());
    }

    @Test
    void headerPastTheCapIsCutAtALineAndFlagged() throws IOException {
        StringBuilder sb = new StringBuilder("Subject: first\r\n");
        int line = 0;
        while (sb.length() <= MessageHeaders.MAX_SIZE + 100) sb.append("X-Line: ").append(line++).append("\r\n");
        sb.append("Subject: late\r\n\r\nbody\r\n");
        MessageHeaders h = read(sb.toString());
        assertTrue(h.truncated());
        assertTrue(h.size() <= MessageHeaders.MAX_SIZE, "at most the cap: " + h.size());
        byte[] raw = h.raw();
        assertEquals('\n', raw[raw.length - 1], "cut at the end of a line");
        assertEquals(List.of("first"), h.all("Subject"), "fields past the cut are missing");
        String last = h.all("X-Line").get(h.all("X-Line").size() - 1);
        assertTrue(Integer.parseInt(last) < line - 1, last);
    }

    @Test
    void readsNoFurtherThanOneChunkPastTheHeader() throws IOException {
        byte[] header = bytes("Subject: s\r\n\r\n");
        byte[] message = new byte[header.length + 1_000_000];
        System.arraycopy(header, 0, message, 0, header.length);
        int[] consumed = {0};
        InputStream counting = new ByteArrayInputStream(message) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) consumed[0] += n;
                return n;
            }
        };
        assertEquals("s", MessageHeaders.read(counting).get("subject"));
        assertTrue(consumed[0] <= header.length + 8 * 1024, "read " + consumed[0] + " bytes");
    }

    @Test
    void envelopeDefaultsSenderAndReplyToToFrom() throws IOException {
        MessageEnvelope e = read("Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nFrom: Fred <fred@example.org>\r\n"
                + "Reply-To:\r\nSubject: afternoon\r\n meeting\r\nTo: mooch@owatagu.example\r\n"
                + "cc: a@example.org,\r\n b@example.org\r\nMessage-Id: <B27397-0100000@example.org>\r\n"
                + "In-Reply-To: <x@example.org>\r\n\r\n").envelope();
        assertEquals(new MessageEnvelope("Mon, 7 Feb 1994 21:52:25 -0800", "afternoon meeting",
                "Fred <fred@example.org>", "Fred <fred@example.org>", "Fred <fred@example.org>",
                "mooch@owatagu.example", "a@example.org, b@example.org", null, "<x@example.org>",
                "<B27397-0100000@example.org>"), e);

        MessageEnvelope own = read("From: a@example.org\r\nSender: s@example.org\r\nReply-To: r@example.org\r\n"
                + "Bcc: hidden@example.org\r\n\r\n").envelope();
        assertEquals("s@example.org", own.sender());
        assertEquals("r@example.org", own.replyTo());
        assertEquals("hidden@example.org", own.bcc());
        assertNull(own.date());
        assertNull(own.messageId());

        MessageEnvelope none = read("X: y\r\n\r\n").envelope();
        assertNull(none.from());
        assertNull(none.sender());
        assertNull(none.replyTo());
    }

    @Test
    void defaultMethodReadsOpenAndPassesUnknownUidOn() throws IOException {
        byte[] message = bytes("Subject: hi\r\nFrom: x@example.org\r\n\r\nbody\r\n");
        int[] opens = {0};
        Folder folder = new OneMessageFolder(message, opens);
        MessageHeaders h = folder.headers(7);
        assertEquals("hi", h.get("Subject"));
        assertArrayEquals(bytes("Subject: hi\r\nFrom: x@example.org\r\n\r\n"), h.raw());
        assertEquals(1, opens[0]);
        assertThrows(NoSuchFileException.class, () -> folder.headers(8));
    }

    /** Implements only what the default method uses. */
    private record OneMessageFolder(byte[] message, int[] opens) implements Folder {
        @Override
        public InputStream open(long uid) throws IOException {
            if (uid != 7) throw new NoSuchFileException("UID " + uid);
            opens[0]++;
            return new ByteArrayInputStream(message);
        }

        @Override
        public String name() {
            return "INBOX";
        }

        @Override
        public long uidValidity() {
            return 1;
        }

        @Override
        public long uidNext() {
            return 8;
        }

        @Override
        public List<MessageInfo> messages() {
            return List.of(new MessageInfo(7, message.length, Set.of(), Instant.EPOCH));
        }

        @Override
        public long append(MessageContent content, Set<String> flags, Instant internalDate) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> delete(Collection<Long> uids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> expunge() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Long, Long> copyTo(Collection<Long> uids, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
