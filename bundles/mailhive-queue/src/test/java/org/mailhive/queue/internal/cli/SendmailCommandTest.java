package org.mailhive.queue.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MailAddress;

class SendmailCommandTest {

    @TempDir
    Path dir;
    Path config;
    Path data;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void layout() throws Exception {
        config = Files.createDirectories(dir.resolve("config"));
        data = Files.createDirectories(dir.resolve("data"));
    }

    private int sendmail(String input, String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--config", config.toString(), "--data", data.toString()))
                .toArray(String[]::new);
        return new SendmailCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "alice").run(all);
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> s = Files.list(data.resolve("queue/maildrop"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    void mailStyleSubmissionWithDashTLandsInTheMaildropWithCrlfAndHeaderRecipients() throws Exception {
        String msg = "Subject: dear alice\nTo: <alice@localhost>\nCc: Bob <bob@example.test>, team: carol@example.test;\n"
                + "Bcc: secret@example.test\nX-Token: t1\n\nbody line\n.not the end\n";
        assertEquals(0, sendmail(msg, "-oi", "-f", "root@vm", "-t"), err.toString());
        List<Path> e = entries();
        assertEquals(1, e.size());
        String message = read(e.get(0).resolve("message"));
        assertEquals("Subject: dear alice\r\nTo: <alice@localhost>\r\nCc: Bob <bob@example.test>, team: carol@example.test;\r\n"
                + "X-Token: t1\r\n\r\nbody line\r\n.not the end\r\n", message);
        String env = read(e.get(0).resolve("envelope"));
        assertTrue(env.contains("sender=root@vm"), env);
        for (String r : List.of("alice@localhost", "bob@example.test", "carol@example.test", "secret@example.test")) {
            assertTrue(env.contains("rcpt=" + r.replace("@", "@")), r + " in " + env);
        }
        assertTrue(env.contains("sendmail.set_sender"), env);
    }

    @Test
    void withoutDashIaLoneDotEndsTheMessageAndRecipientsComeFromArguments() throws Exception {
        assertEquals(0, sendmail("Subject: x\n\nline\n.\nafter the dot\n", "bob@example.test, carol"));
        Path e = entries().get(0);
        assertEquals("Subject: x\r\n\r\nline\r\n", read(e.resolve("message")));
        String env = read(e.resolve("envelope"));
        assertTrue(env.contains("sender=alice@\n"), "unqualified login as sender: " + env);
        assertTrue(env.contains("rcpt=bob@example.test"), env);
        assertTrue(env.contains("rcpt=carol@ "), "unqualified recipient kept for pickup: " + env);
        assertFalse(env.contains("set_sender"), env);
    }

    @Test
    void aBodyWithoutBlankLineGetsOneAndLfOnlyInputIsConverted() throws Exception {
        assertEquals(0, sendmail("just a body line\nsecond\n", "bob@example.test"));
        assertEquals("\r\njust a body line\r\nsecond\r\n", read(entries().get(0).resolve("message")));
    }

    @Test
    void noRecipientsIsAUsageErrorAndLeavesNothingBehind() throws Exception {
        assertEquals(64, sendmail("Subject: x\n\nbody\n"));
        assertTrue(err.toString().contains("Recipient addresses must be specified"), err.toString());
        assertEquals(65, sendmail("Subject: x\n\nbody\n", "-t"));
        assertTrue(err.toString().contains("No recipient addresses found in message header"), err.toString());
        try (Stream<Path> s = Files.list(data.resolve("queue/maildrop"))) {
            assertEquals(0, s.count(), "no entry, no partial entry");
        }
    }

    @Test
    void fullNameDsnAndBodyOptionsAreCarried() throws Exception {
        assertEquals(0, sendmail("Subject: \u00e9t\u00e9\n\nhi\n", "-FAlice Example", "-N", "success,failure",
                "-R", "hdrs", "-V", "env-1", "bob@example.test"));
        String env = read(entries().get(0).resolve("envelope"));
        assertTrue(env.contains("attr=sender.fullname Alice%20Example"), env);
        assertTrue(env.contains("attr=dsn.ret HDRS"), env);
        assertTrue(env.contains("attr=dsn.envid env-1"), env);
        assertTrue(env.contains("attr=body 8BITMIME"), "8-bit input is declared: " + env);
        assertTrue(env.contains("NOTIFY=SUCCESS%2CFAILURE"), env);
    }

    @Test
    void optionsParseLikeSendmail() throws Exception {
        SendmailOptions o = SendmailOptions.parse(List.of("-oi", "-oem", "-odb", "-ti", "-fme@x.test", "-F", "Me", "--",
                "-notanoption@x.test"));
        assertTrue(o.extractRecipients());
        assertTrue(o.ignoreDots());
        assertEquals("me@x.test", o.sender());
        assertEquals("Me", o.fullName());
        assertEquals(List.of("-notanoption@x.test"), o.recipients());
        assertEquals(SendmailOptions.Mode.SMTP, SendmailOptions.parse(List.of("-bs")).mode());
        assertEquals(SendmailOptions.Mode.LIST_QUEUE, SendmailOptions.parse(List.of("-bp")).mode());
        assertEquals(SendmailOptions.Mode.FLUSH, SendmailOptions.parse(List.of("-q")).mode());
        assertThrows(SendmailOptions.UsageException.class, () -> SendmailOptions.parse(List.of("-f")));
        assertThrows(SendmailOptions.UsageException.class, () -> SendmailOptions.parse(List.of("-Z")));
        assertThrows(SendmailOptions.UsageException.class, () -> SendmailOptions.parse(List.of("-R", "bogus")));
        assertEquals(64, sendmail("", "-bd"));
    }

    @Test
    void senderForms() {
        assertTrue(SendmailCommand.parseSender("<>").isNullSender());
        assertTrue(SendmailCommand.parseSender("").isNullSender());
        assertEquals(MailAddress.of("bob", ""), SendmailCommand.parseSender("bob"));
        assertEquals(MailAddress.of("bob", "example.test"), SendmailCommand.parseSender("<bob@example.test>"));
        assertThrows(IllegalArgumentException.class, () -> SendmailCommand.parseSender("bad name"));
    }

    @Test
    void smtpOnStandardInputQueuesEachMessageWithDotUnstuffing() throws Exception {
        String session = "EHLO me\r\nMAIL FROM:<alice@localhost>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"
                + "Subject: s\r\n\r\n..leading dot\r\n.\r\nRCPT TO:<x@y.test>\r\nBOGUS\r\nQUIT\r\n";
        assertEquals(0, sendmail(session, "-bs"));
        String replies = out.toString(StandardCharsets.UTF_8);
        assertTrue(replies.startsWith("220 "), replies);
        assertTrue(replies.contains("250 2.0.0 Ok: queued as "), replies);
        assertTrue(replies.contains("503 5.5.1 Error: need MAIL command"), "transaction reset after DATA: " + replies);
        assertTrue(replies.contains("502 5.5.2"), replies);
        assertTrue(replies.endsWith("221 2.0.0 Bye\r\n"), replies);
        assertEquals("Subject: s\r\n\r\n.leading dot\r\n", read(entries().get(0).resolve("message")));
    }

    @Test
    void overlongBodyLinesAreCopiedWholeWithoutBeingHeldInOnePiece() throws Exception {
        String longLine = "x".repeat(200_000);
        assertEquals(0, sendmail("Subject: big\n\n" + longLine + "\nend\n", "bob@example.test"));
        assertEquals("Subject: big\r\n\r\n" + longLine + "\r\nend\r\n", read(entries().get(0).resolve("message")));
    }
}
