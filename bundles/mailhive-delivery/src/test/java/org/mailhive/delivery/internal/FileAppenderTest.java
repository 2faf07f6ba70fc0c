package org.mailhive.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;

class FileAppenderTest {

    @TempDir
    Path dir;

    private static final Instant WHEN = Instant.parse("2026-11-04T05:13:52Z");
    private final FileAppender appender = new FileAppender(Duration.ofMillis(300), ZoneOffset.UTC);

    private static MessageContent text(String s) {
        return Fixtures.content(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesFromLineQuotesFromLinesAndEndsWithABlankLine() throws IOException {
        Path mbox = dir.resolve("archive.mbox");
        appender.append(mbox, MailAddress.parse("bob@example.net"),
                text("Subject: x\r\n\r\nFrom here\r\n>From there\r\n>>From deep\r\nFromage\r\n From indented\r\nend"), WHEN);
        String expected = "From bob@example.net Wed Nov  4 05:13:52 2026\n"
                + "Subject: x\n\n>From here\n>>From there\n>>>From deep\nFromage\n From indented\nend\n\n";
        assertEquals(expected, Files.readString(mbox));
    }

    @Test
    void secondMessageFollowsTheFirstAndNullSenderIsMailerDaemon() throws IOException {
        Path mbox = dir.resolve("archive.mbox");
        appender.append(mbox, MailAddress.parse("bob@example.net"), text("Subject: 1\r\n\r\none\r\n"), WHEN);
        appender.append(mbox, MailAddress.NULL_SENDER, text("Subject: 2\r\n\r\ntwo\r\n"), WHEN);
        assertEquals("From bob@example.net Wed Nov  4 05:13:52 2026\nSubject: 1\n\none\n\n"
                + "From MAILER-DAEMON Wed Nov  4 05:13:52 2026\nSubject: 2\n\ntwo\n\n", Files.readString(mbox));
        assertFalse(Files.exists(dir.resolve("archive.mbox.lock")));
    }

    @Test
    void fileNotEndingInBlankLineGetsOneBeforeTheFromLine() throws IOException {
        Path mbox = dir.resolve("old.mbox");
        Files.writeString(mbox, "From a@b Wed Nov  4 05:13:52 2026\n\nbody\n");
        appender.append(mbox, MailAddress.parse("bob@example.net"), text("S: 1\r\n\r\nx\r\n"), WHEN);
        assertEquals("From a@b Wed Nov  4 05:13:52 2026\n\nbody\n\nFrom bob@example.net Wed Nov  4 05:13:52 2026\n"
                + "S: 1\n\nx\n\n", Files.readString(mbox));
    }

    @Test
    void heldDotlockTimesOutAndLeavesTheFileAndTheLockAlone() throws IOException {
        Path mbox = dir.resolve("busy.mbox");
        Files.writeString(mbox, "before\n\n");
        Path lock = dir.resolve("busy.mbox.lock");
        Files.writeString(lock, "12345\n");
        assertThrows(FileAppender.LockTimeoutException.class,
                () -> appender.append(mbox, MailAddress.parse("bob@example.net"), text("S: 1\r\n\r\nx\r\n"), WHEN));
        assertEquals("before\n\n", Files.readString(mbox));
        assertEquals("12345\n", Files.readString(lock));
    }

    @Test
    void staleDotlockIsBroken() throws IOException {
        Path mbox = dir.resolve("stale.mbox");
        Path lock = dir.resolve("stale.mbox.lock");
        Files.writeString(lock, "");
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
        appender.append(mbox, MailAddress.parse("bob@example.net"), text("S: 1\r\n\r\nx\r\n"), WHEN);
        assertEquals("From bob@example.net Wed Nov  4 05:13:52 2026\nS: 1\n\nx\n\n", Files.readString(mbox));
        assertFalse(Files.exists(lock));
    }

    @Test
    void failedReadTruncatesBackToTheOldEnd() throws IOException {
        Path mbox = dir.resolve("cut.mbox");
        byte[] before = "From a@b Wed Nov  4 05:13:52 2026\n\nold\n\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(mbox, before);
        MessageContent broken = new MessageContent() {
            @Override
            public InputStream openStream() {
                InputStream failing = new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("queue file vanished");
                    }
                };
                byte[] big = "Subject: half\r\n\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                return new SequenceInputStream(new ByteArrayInputStream(big), failing);
            }

            @Override
            public long size() {
                return 1;
            }
        };
        IOException e = assertThrows(IOException.class,
                () -> appender.append(mbox, MailAddress.parse("bob@example.net"), broken, WHEN));
        assertEquals("queue file vanished", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(mbox));
        assertFalse(Files.exists(dir.resolve("cut.mbox.lock")));
    }

    @Test
    void symbolicLinkIsNotFollowed() throws IOException {
        Path target = dir.resolve("target");
        Files.writeString(target, "");
        Path link = Files.createSymbolicLink(dir.resolve("link.mbox"), target);
        assertThrows(IOException.class,
                () -> appender.append(link, MailAddress.parse("bob@example.net"), text("S: 1\r\n\r\nx\r\n"), WHEN));
        assertEquals("", Files.readString(target));
    }
}
