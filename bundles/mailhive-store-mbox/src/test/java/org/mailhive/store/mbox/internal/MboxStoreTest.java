package org.mailhive.store.mbox.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailhive.store.mbox.internal.TestMessages.DATE;
import static org.mailhive.store.mbox.internal.TestMessages.content;
import static org.mailhive.store.mbox.internal.TestMessages.crlf;
import static org.mailhive.store.mbox.internal.TestMessages.read;
import static org.mailhive.store.mbox.internal.TestMessages.simple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MessageInfo;

class MboxStoreTest {

    @TempDir
    Path dir;

    private Path inbox() {
        return dir.resolve("spool/alice");
    }

    private String disk(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    @Test
    void appendWritesMboxrdWithLfAndQuoting() throws IOException {
        MboxStore store = TestMessages.store();
        String msg = crlf("Return-Path: <alice@example.org>", "Subject: quoting", "", "From here", ">From there",
                ">>From far", "Fromage", "From: not a header here");
        AppendResult r = store.append(TestMessages.location(dir), null, content(msg), Set.of(), null);
        assertEquals("INBOX", r.folder());
        assertEquals("From alice@example.org Tue Nov 24 05:13:52 2026\n"
                + "Return-Path: <alice@example.org>\nSubject: quoting\n\n"
                + ">From here\n>>From there\n>>>From far\nFromage\nFrom: not a header here\n\n", disk(inbox()));

        try (Mailbox mb = store.open(TestMessages.location(dir)); Folder f = mb.folder("inbox")) {
            List<MessageInfo> list = f.messages();
            assertEquals(1, list.size());
            String back = read(f.open(list.get(0).uid()));
            assertEquals(msg, back);
            assertEquals(msg.length(), list.get(0).size());
            assertEquals(DATE, list.get(0).internalDate());
        }
    }

    @Test
    void nullSenderAndMissingReturnPathGiveMailerDaemon() throws IOException {
        MboxStore store = TestMessages.store();
        store.append(TestMessages.location(dir), "INBOX", content(crlf("Return-Path: <>", "Subject: bounce", "", "x")),
                Set.of(), null);
        store.append(TestMessages.location(dir), "INBOX", content(crlf("Subject: none", "", "y")), Set.of(), null);
        String text = disk(inbox());
        assertTrue(text.startsWith("From MAILER-DAEMON Tue Nov 24 05:13:52 2026\nReturn-Path: <>\n"));
        assertTrue(text.endsWith("\n\nFrom MAILER-DAEMON Tue Nov 24 05:13:52 2026\nSubject: none\n\ny\n\n"));
    }

    @Test
    void messageWithoutFinalNewlineAndBareLfStillRoundTrips() throws IOException {
        MboxStore store = TestMessages.store();
        store.append(TestMessages.location(dir), null, content("Subject: lf\n\nbody without end"), Set.of(), null);
        try (Mailbox mb = store.open(TestMessages.location(dir)); Folder f = mb.folder("INBOX")) {
            MessageInfo m = f.messages().get(0);
            String back = read(f.open(m.uid()));
            assertEquals("Subject: lf\r\n\r\nbody without end\r\n", back);
            assertEquals(back.length(), m.size());
        }
        assertTrue(disk(inbox()).endsWith("\nSubject: lf\n\nbody without end\n\n"));
    }

    @Test
    void longLinesAndCrlfAcrossBufferBoundariesKeepSizeAndBytes() throws IOException {
        MboxStore store = TestMessages.store();
        String longLine = "z".repeat(MboxWriter.BUFFER * 2 + 17);
        String msg = crlf("Subject: long", "", longLine, "From " + longLine, "end");
        store.append(TestMessages.location(dir), null, content(msg), Set.of(), null);
        try (Mailbox mb = store.open(TestMessages.location(dir)); Folder f = mb.folder("INBOX")) {
            MessageInfo m = f.messages().get(0);
            assertEquals(msg, read(f.open(m.uid())));
            assertEquals(msg.length(), m.size());
        }
    }

    @Test
    void failedAppendIsCutOffAndEarlierMessagesStayIntact() throws IOException {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = TestMessages.location(dir);
        store.append(loc, null, simple("first"), Set.of(), null);
        byte[] before = Files.readAllBytes(inbox());
        String big = crlf("Subject: broken", "", "x".repeat(200_000));
        assertThrows(IOException.class, () -> store.append(loc, null, TestMessages.failingAfter(big, 150_000),
                Set.of(), null));
        assertArrayEquals(before, Files.readAllBytes(inbox()));
        assertFalse(Files.exists(dir.resolve("spool/alice.lock")), "the dotlock must be gone");
        store.append(loc, null, simple("third"), Set.of(), null);
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            List<MessageInfo> list = f.messages();
            assertEquals(2, list.size());
            assertTrue(read(f.open(list.get(1).uid())).contains("Subject: third\r\n"));
        }
    }

    @Test
    void uidsAndUidValiditySurviveANewStoreInstance() throws IOException {
        MailboxLocation loc = TestMessages.location(dir);
        long validity;
        List<Long> uids;
        try (Mailbox mb = TestMessages.store().open(loc); Folder f = mb.folder("INBOX")) {
            assertEquals(1, f.append(simple("a"), Set.of(), null));
            assertEquals(2, f.append(simple("b"), Set.of("\\Seen"), null));
            assertEquals(3, f.append(simple("c"), Set.of(), null));
            validity = f.uidValidity();
            uids = f.messages().stream().map(MessageInfo::uid).toList();
        }
        assertEquals(List.of(1L, 2L, 3L), uids);
        assertTrue(Files.exists(dir.resolve("spool/.alice.mailhive-uids")));

        MboxStore again = TestMessages.store();
        again.append(loc, null, simple("d"), Set.of(), null);
        try (Mailbox mb = again.open(loc); Folder f = mb.folder("INBOX")) {
            assertEquals(validity, f.uidValidity());
            assertEquals(List.of(1L, 2L, 3L, 4L), f.messages().stream().map(MessageInfo::uid).toList());
            assertEquals(5, f.uidNext());
            assertTrue(f.messages().get(1).hasFlag("\\seen"));
        }
    }

    @Test
    void changesByOtherProgramsKeepUidsOrRenumberUnderANewUidValidity() throws IOException {
        MailboxLocation loc = TestMessages.location(dir);
        MboxStore store = TestMessages.store();
        for (String s : List.of("a", "b", "c")) store.append(loc, null, simple(s), Set.of(), null);
        long validity;
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            validity = f.uidValidity();
            assertEquals(3, f.messages().size());
            // another MUA deletes the first message and marks the second read, rewriting the file
            String text = disk(inbox());
            String[] parts = text.split("(?=From bob@example.org )");
            String rewritten = parts[1].replace("Subject: b\n", "Subject: b\nStatus: RO\n") + parts[2]
                    + "From carol@example.org Tue Nov 24 06:00:00 2026\nSubject: external\n\nhi\n\n";
            Files.writeString(inbox(), rewritten, StandardCharsets.ISO_8859_1);
            Files.setLastModifiedTime(inbox(), FileTime.from(Instant.now().plusSeconds(5)));
            List<MessageInfo> list = f.messages();
            assertEquals(List.of(2L, 3L, 4L), list.stream().map(MessageInfo::uid).toList());
            assertEquals(validity, f.uidValidity());
            assertTrue(list.get(0).hasFlag("\\Seen"));
            assertEquals("Subject: external\r\n\r\nhi\r\n", read(f.open(4)));

            // a message put before known ones cannot get a fitting UID: numbered again under a new UIDVALIDITY
            Files.writeString(inbox(), "From eve@example.org Mon Nov 23 06:00:00 2026\nSubject: first\n\nx\n\n"
                    + disk(inbox()), StandardCharsets.ISO_8859_1);
            Files.setLastModifiedTime(inbox(), FileTime.from(Instant.now().plusSeconds(10)));
            assertEquals(List.of(1L, 2L, 3L, 4L), f.messages().stream().map(MessageInfo::uid).toList());
            assertEquals("Subject: first\r\n\r\nx\r\n", read(f.open(1)));
            assertNotEquals(validity, f.uidValidity());
        }
    }

    @Test
    void flagsLiveInStatusHeadersAndDoNotChangeTheMessage() throws IOException {
        MailboxLocation loc = TestMessages.location(dir);
        MboxStore store = TestMessages.store();
        store.append(loc, null, simple("a"), Set.of(), null);
        store.append(loc, null, simple("b"), Set.of(), null);
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            String original = read(f.open(1));
            long size = f.messages().get(0).size();
            f.setFlags(List.of(1L), Set.of("\\Seen", "\\Flagged", "$Work"), FlagMode.ADD);
            String text = disk(inbox());
            assertTrue(text.contains("Message-ID: <a@example.org>\nStatus: RO\nX-Status: F\nX-Keywords: $Work\n\nHello a\n"),
                    text);
            List<MessageInfo> list = f.messages();
            assertEquals(Set.of("\\Seen", "\\Flagged", "$Work"), list.get(0).flags());
            assertEquals(Set.of(), list.get(1).flags());
            assertEquals(List.of(1L, 2L), list.stream().map(MessageInfo::uid).toList());
            assertEquals(original, read(f.open(1)));
            assertEquals(size, list.get(0).size());

            f.setFlags(List.of(1L), Set.of("\\Flagged"), FlagMode.REMOVE);
            assertEquals(Set.of("\\Seen", "$Work"), f.messages().get(0).flags());
            f.setFlags(List.of(1L, 2L, 99L), Set.of("\\Answered"), FlagMode.REPLACE);
            assertEquals(Set.of("\\Answered"), f.messages().get(0).flags());
            assertEquals(Set.of("\\Answered"), f.messages().get(1).flags());
            assertTrue(disk(inbox()).contains("Message-ID: <b@example.org>\nStatus: O\nX-Status: A\n\nHello b\n"));
        }
    }

    @Test
    void metaHeadersFromTheSenderAreDropped() throws IOException {
        MboxStore store = TestMessages.store();
        store.append(TestMessages.location(dir), null,
                content(crlf("Subject: forged", "Status: RO", "X-Status: D", "X-UID: 99", "", "body")), Set.of(), null);
        String text = disk(inbox());
        assertFalse(text.contains("Status:"), text);
        assertFalse(text.contains("X-UID"), text);
        try (Mailbox mb = store.open(TestMessages.location(dir)); Folder f = mb.folder("INBOX")) {
            assertEquals(Set.of(), f.messages().get(0).flags());
        }
    }

    @Test
    void deleteAndExpungeRewriteTheFile() throws IOException {
        MailboxLocation loc = TestMessages.location(dir);
        MboxStore store = TestMessages.store();
        for (String s : List.of("a", "b", "c", "d")) store.append(loc, null, simple(s), Set.of(), null);
        Files.setPosixFilePermissions(inbox(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            f.messages();
            assertEquals(List.of(2L), f.delete(List.of(2L, 42L)));
            f.setFlags(List.of(4L), Set.of("\\Deleted"), FlagMode.ADD);
            assertEquals(List.of(4L), f.expunge());
            assertEquals(List.of(), f.expunge());
            assertEquals(List.of(1L, 3L), f.messages().stream().map(MessageInfo::uid).toList());
            assertThrows(NoSuchFileException.class, () -> f.open(2));
            assertEquals(5, f.uidNext());
        }
        String text = disk(inbox());
        assertFalse(text.contains("Subject: b"));
        assertFalse(text.contains("Subject: d"));
        assertTrue(text.contains("Subject: a") && text.contains("Subject: c"));
        assertTrue(text.endsWith("Hello c\n\n"));
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(inbox())));
        try (Mailbox mb = TestMessages.store().open(loc); Folder f = mb.folder("INBOX")) {
            assertEquals(List.of(1L, 3L), f.messages().stream().map(MessageInfo::uid).toList());
        }
    }

    @Test
    void duplicatesKeepTheirOwnUidsWhenOneIsDeleted() throws IOException {
        MailboxLocation loc = TestMessages.location(dir);
        MboxStore store = TestMessages.store();
        for (int i = 0; i < 3; i++) store.append(loc, null, simple("same"), Set.of(), null);
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            assertEquals(List.of(1L, 2L, 3L), f.messages().stream().map(MessageInfo::uid).toList());
            f.delete(List.of(1L));
            assertEquals(List.of(2L, 3L), f.messages().stream().map(MessageInfo::uid).toList());
        }
    }

    @Test
    void copyToAppendsToTheTargetWithFlags() throws IOException {
        MailboxLocation loc = TestMessages.location(dir);
        MboxStore store = TestMessages.store();
        store.append(loc, null, simple("a"), Set.of("\\Seen"), Instant.parse("2024-01-02T03:04:05Z"));
        try (Mailbox mb = store.open(loc)) {
            mb.createFolder("Archive");
            try (Folder f = mb.folder("INBOX")) {
                Map<Long, Long> map = f.copyTo(List.of(1L, 7L), "Archive");
                assertEquals(Map.of(1L, 1L), map);
                String original = read(f.open(1));
                try (Folder a = mb.folder("Archive")) {
                    MessageInfo m = a.messages().get(0);
                    assertEquals(original, read(a.open(m.uid())));
                    assertTrue(m.hasFlag("\\Seen"));
                    assertEquals(Instant.parse("2024-01-02T03:04:05Z"), m.internalDate());
                }
                assertEquals(Map.of(1L, 2L), f.copyTo(List.of(1L), "INBOX"));
            }
        }
        assertTrue(disk(dir.resolve("mail/Archive")).startsWith("From bob@example.org Tue Jan  2 03:04:05 2024\n"));
    }
}
