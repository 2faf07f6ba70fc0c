package org.mailhive.cleanup.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.MessageDraft;

class CleanupTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T05:22:03Z"), ZoneOffset.UTC);
    static final String RECEIVED = "Received: from client.example (mail.client.example [192.0.2.7])\r\n"
            + "\tby mx.example.org (Mailhive) with ESMTP id 3F2A9C1B07\r\n"
            + "\tfor <alice@localhost>; Tue, 24 Nov 2026 05:22:03 +0000\r\n";
    static final String ADDED = "Message-ID: <3F2A9C1B07.20261124052203@mx.example.org>\r\n"
            + "Date: Tue, 24 Nov 2026 05:22:03 +0000\r\n";

    final FakeQueue queue = new FakeQueue();

    CleanupService sink(String... config) {
        CleanupService s = new CleanupService(queue, null, CLOCK, "mx.example.org");
        Map<String, Object> props = new java.util.HashMap<>();
        for (int i = 0; i < config.length; i += 2) props.put(config[i], config[i + 1]);
        s.configure(props);
        return s;
    }

    static Envelope remote(String... rcpts) {
        return new Envelope(MailAddress.parse("bob@client.example"),
                Arrays.stream(rcpts).map(r -> Recipient.of(MailAddress.parse(r))).toList(),
                Map.of(Envelope.CLIENT_ADDRESS, "192.0.2.7", Envelope.CLIENT_NAME, "mail.client.example",
                        Envelope.HELO, "client.example", Envelope.PROTOCOL, "ESMTP"));
    }

    String run(CleanupService s, Envelope env, byte[] input, boolean byteByByte) throws Exception {
        MessageDraft d = s.open(env);
        try (OutputStream out = d.content()) {
            if (byteByByte) {
                for (byte b : input) out.write(b);
            } else {
                out.write(input);
            }
        }
        assertEquals("3F2A9C1B07", d.commit().value());
        return queue.drafts.get(queue.drafts.size() - 1).text();
    }

    String run(String input) throws Exception {
        return run(sink(), remote("alice@localhost"), input.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    @Test
    void missingMessageIdAndDateAreAddedOnceAtTheEndOfTheHeader() throws Exception {
        String in = "Subject: hi\r\nTo: alice@localhost\r\n\r\nbody\r\n";
        assertEquals(RECEIVED + "Subject: hi\r\nTo: alice@localhost\r\n" + ADDED + "\r\nbody\r\n", run(in));
    }

    @Test
    void presentHeadersAreKeptWhateverTheirCase() throws Exception {
        String in = "message-id: <x@y>\r\nDATE: Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: a\r\n b\r\n\r\nbody\r\n";
        assertEquals(RECEIVED + in, run(in));
    }

    @Test
    void bodyOnlyMessageGetsHeadersAndASeparator() throws Exception {
        String in = "just some text\r\nmore\r\n";
        assertEquals(RECEIVED + ADDED + "\r\n" + in, run(in));
    }

    @Test
    void continuationLineFirstIsBody() throws Exception {
        String in = " indented\r\n";
        assertEquals(RECEIVED + ADDED + "\r\n" + in, run(in));
    }

    @Test
    void headerOnlyMessageWithoutFinalCrlf() throws Exception {
        assertEquals(RECEIVED + "Subject: x\r\n" + ADDED, run("Subject: x"));
    }

    @Test
    void emptyMessage() throws Exception {
        assertEquals(RECEIVED + ADDED, run(""));
    }

    @Test
    void lastBodyLineWithoutCrlfIsCompleted() throws Exception {
        assertEquals(RECEIVED + "Subject: x\r\n" + ADDED + "\r\nend", run("Subject: x\r\n\r\nend").replace("end\r\n", "end"));
        assertTrue(run("Subject: x\r\n\r\nend").endsWith("\r\nend\r\n"));
    }

    @Test
    void oneByteWritesGiveTheSameResult() throws Exception {
        byte[] in = ("From: bob@client.example\r\nSubject: split\r\n\tover lines\r\nX-Empty:\r\n\r\n"
                + "body line\r\n\r\nlast\r\n").getBytes(StandardCharsets.US_ASCII);
        String bulk = run(sink(), remote("alice@localhost"), in, false);
        String single = run(sink(), remote("alice@localhost"), in, true);
        assertEquals(bulk, single);
        String text = new String(in, StandardCharsets.US_ASCII);
        int end = text.indexOf("\r\n\r\n") + 2;
        assertEquals(RECEIVED + text.substring(0, end) + ADDED + text.substring(end), bulk);
    }

    @Test
    void eightBitBodyIsPreservedByteForByte() throws Exception {
        byte[] body = new byte[512];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 7 + 128);
        body[body.length - 2] = '\r';
        body[body.length - 1] = '\n';
        byte[] head = "Subject: =?utf-8?q?caf=C3=A9?= \u00e9\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(head);
        in.write(body);
        run(sink(), remote("alice@localhost"), in.toByteArray(), true);
        byte[] out = queue.drafts.get(0).bytes.toByteArray();
        assertArrayEquals(body, Arrays.copyOfRange(out, out.length - body.length, out.length));
        byte[] expectHead = (RECEIVED + "Subject: =?utf-8?q?caf=C3=A9?= ").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expectHead, Arrays.copyOf(out, expectHead.length));
        assertEquals((byte) 0xC3, out[expectHead.length]);
    }

    @Test
    void oversizedHeaderSectionPassesThroughAsBody() throws Exception {
        StringBuilder in = new StringBuilder();
        for (int i = 0; in.length() < 3000; i++) in.append("X-Filler-").append(i).append(": ").append("v".repeat(60)).append("\r\n");
        in.append("\r\nbody\r\n");
        String out = run(sink("header_size_limit", "1024"), remote("alice@localhost"),
                in.toString().getBytes(StandardCharsets.US_ASCII), true);
        assertTrue(out.startsWith(RECEIVED));
        int at = out.indexOf(ADDED);
        assertTrue(at > 0 && out.indexOf(ADDED, at + 1) < 0, out);
        assertTrue(at - RECEIVED.length() <= 1024 + 80, "added after " + (at - RECEIVED.length()));
        assertEquals(in.toString(), out.substring(RECEIVED.length(), at) + out.substring(at + ADDED.length()));
    }

    @Test
    void sizeLimitAnswers552AndLeavesNothingQueued() throws Exception {
        CleanupService s = sink("message_size_limit", "1k");
        MessageDraft d = s.open(remote("alice@localhost"));
        byte[] chunk = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        d.content().write(chunk);
        for (int i = 0; i < 100; i++) d.content().write("0123456789012345678901234567890\r\n".getBytes(StandardCharsets.US_ASCII));
        MailException e = assertThrows(MailException.class, d::commit);
        assertEquals(552, e.reply().code());
        assertEquals("5.3.4", e.reply().status().toString());
        assertFalse(e.isTemporary());
        FakeQueue.Draft q = queue.drafts.get(0);
        assertEquals(0, q.commits);
        assertTrue(q.aborts >= 1);
        assertTrue(q.bytes.size() < 1024 + RECEIVED.length() + ADDED.length(), "wrote " + q.bytes.size());
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'a');
        String out = run(sink("message_size_limit", "0"), remote("alice@localhost"), big, false);
        assertTrue(out.endsWith("a\r\n"));
    }

    @Test
    void commitDelegatesAndAbortPropagates() throws Exception {
        CleanupService s = sink();
        MessageDraft d = s.open(remote("alice@localhost"));
        assertEquals("3F2A9C1B07", d.id().value());
        d.abort();
        assertEquals(1, queue.drafts.get(0).aborts);
        try (MessageDraft c = s.open(remote("alice@localhost"))) {
            c.content().write('x');
        }
        assertEquals(1, queue.drafts.get(1).aborts);
        assertEquals(0, queue.drafts.get(1).commits);

        MessageDraft f = s.open(remote("alice@localhost"));
        queue.failCommit = MailException.temporary("disk full", null);
        MailException e = assertThrows(MailException.class, f::commit);
        assertSame(queue.failCommit, e);
        assertEquals(1, queue.drafts.get(2).commits);
    }

    @Test
    void badConfigurationKeepsThePreviousOne() throws Exception {
        CleanupService s = sink("message_size_limit", "100");
        s.configure(Map.of("message_size_limit", "lots"));
        MessageDraft d = s.open(remote("alice@localhost"));
        d.content().write(new byte[200]);
        assertThrows(MailException.class, d::commit);
    }

    @Test
    void fromIsAddedForLocalSubmissionsOrWhenConfigured() throws Exception {
        Envelope local = new Envelope(MailAddress.parse("bob@mx.example.org"),
                List.of(Recipient.of(MailAddress.parse("a@x.example")), Recipient.of(MailAddress.parse("b@x.example"))),
                Map.of(Envelope.AUTH_USER, "bob"));
        String out = run(sink(), local, "Subject: s\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII), false);
        assertEquals("Received: by mx.example.org (Mailhive, from userid bob) id 3F2A9C1B07;\r\n"
                + "\tTue, 24 Nov 2026 05:22:03 +0000\r\nSubject: s\r\n" + ADDED
                + "From: <bob@mx.example.org>\r\n\r\nb\r\n", out);
        String remoteOut = run("Subject: s\r\n\r\nb\r\n");
        assertFalse(remoteOut.contains("From:"), remoteOut);
        String always = run(sink("always_add_missing_headers", "yes"), remote("alice@localhost"),
                "Subject: s\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII), false);
        assertTrue(always.contains(ADDED + "From: <bob@client.example>\r\n\r\n"), always);
    }
}
