package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The operator's commands from outside, as processes: mail(1) from mailutils and bin/sendmail
 * with the server down, bin/mailq parsed field by field, then the server started delivers what
 * waited in the maildrop; and every event of a delivered, a deferred and a bounced message is in
 * mail.log under one queue id.
 */
public class OperatorToolsIT {

    /** One mailq entry: id, size, arrival as printed, sender, recipients and the reason lines. */
    record MailqEntry(String id, String flag, long size, String arrival, String sender, List<String> recipients,
            List<String> reasons) {
    }

    private static final Pattern ENTRY = Pattern.compile(
            "^([0-9A-F]+)([*!]?)\\s+(\\d+) ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d)\\s+(\\S+)$");
    private static final Pattern BOUNCED = Pattern.compile("([0-9A-F]+): to=<nobody-here@localhost>, relay=local.*status=bounced");
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private MailhiveProcess server;
    private Path home;
    private Path config;
    private Path data;
    private int smtpPort;

    @Before
    public void setUp() throws Exception {
        home = MailhiveProcess.distribution();
        Path root = temp.getRoot().toPath();
        config = root.resolve("config");
        data = root.resolve("data");
        smtpPort = MailhiveProcess.prepareInstance(config, data);
        Files.writeString(config.resolve("users"),
                "alice@localhost:{PLAIN}secret1\nbob@localhost:{PLAIN}secret2\ncarol@localhost:{PLAIN}secret3\n");
        // remote mail goes to a port where nobody listens: it is deferred with a reason
        Path clientCfg = config.resolve("org.mailhive.smtp.client.cfg");
        CfgFiles.set(clientCfg, "relayhost", "[127.0.0.1]:" + CfgFiles.freePort());
        server = new MailhiveProcess(config, data, root.resolve("console.log"));
    }

    @After
    public void tearDown() throws Exception {
        if (server != null) server.killHard();
    }

    @Test
    public void sendmailWithTheServerDownThenMailqThenDeliveryAndAMailLogPerMessage() throws Exception {
        // 1. server down: mail(1) and sendmail -t succeed, the messages wait in the maildrop
        String t1 = "op1-" + System.nanoTime();
        // mailutils' mail(1) under its own name: "mail" may be another mailx by the alternatives system
        String mailx = Files.isExecutable(Path.of("/usr/bin/mail.mailutils")) ? "/usr/bin/mail.mailutils" : "mail";
        Result mail = run(List.of(mailx, "-s", "dear_alice " + t1, "-a", "X-Token: " + t1, "-E",
                "set sendmail=sendmail:" + home.resolve("bin/sendmail"), "alice@localhost"), "body " + t1 + "\n", true);
        assertEquals("mail(1) through bin/sendmail: " + mail.out, 0, mail.code);
        String t2 = "op2-" + System.nanoTime();
        Result sm = run(List.of(home.resolve("bin/sendmail").toString(), "-t", "-i", "-f", "alice@localhost"),
                "From: Alice <alice@localhost>\nTo: alice@localhost\nCc: bob@localhost\nBcc: carol@localhost\n"
                        + "Subject: cc and bcc " + t2 + "\n\nbody " + t2 + "\n", true);
        assertEquals(sm.out, 0, sm.code);

        List<MailqEntry> waiting = mailq();
        assertEquals("two messages in the maildrop: " + waiting, 2, waiting.size());
        MailqEntry first = waiting.get(0);
        assertEquals(List.of("alice@localhost"), first.recipients());
        assertTrue(first.sender(), first.sender().matches("[^@\\s]+@[^@\\s]+"));
        LocalDateTime now = LocalDateTime.now();
        String today = DateTimeFormatter.ofPattern("EEE MMM ppd", Locale.ENGLISH).format(now);
        assertTrue(first.arrival() + " is today (" + today + ")", first.arrival().startsWith(today));
        Path firstFile = data.resolve("queue/maildrop").resolve(first.id()).resolve("message");
        assertEquals("mailq size is the size of the queued message", Files.size(firstFile), first.size());
        MailqEntry second = waiting.get(1);
        assertEquals("alice@localhost", second.sender());
        assertEquals(List.of("alice@localhost", "bob@localhost", "carol@localhost"), second.recipients());

        // 2. the server starts and delivers the maildrop; the queue empties
        startServer();
        String toAlice = awaitMessage("alice", t1);
        assertTrue(toAlice, toAlice.contains("X-Token: " + t1));
        assertTrue(toAlice, toAlice.contains("Subject: dear_alice " + t1));
        for (String user : List.of("alice", "bob", "carol")) {
            String copy = awaitMessage(user, t2);
            assertFalse("Bcc removed from the copy " + user + " got:\n" + copy, copy.contains("Bcc:"));
            assertTrue(copy, copy.contains("Cc: bob@localhost"));
        }
        Await.until("queue empty after delivery", 20_000, () -> mailqText().contains("Mail queue is empty"));

        // 3. one delivered through SMTP, one deferred, one bounced: their events in mail.log
        String delivered = smtpSend("alice@localhost", "delivered");
        String deferred = smtpSend("r@remote.test", "deferred");
        Result bounced = run(List.of(home.resolve("bin/sendmail").toString(), "-f", "alice@localhost",
                "nobody-here@localhost"), "Subject: bounced\n\nbody\n", true);
        assertEquals(bounced.out, 0, bounced.code);

        Path log = data.resolve("log/mail.log");
        Await.until("delivered, deferred and bounced in mail.log", 30_000, () -> {
            String l = Files.readString(log);
            Matcher m = BOUNCED.matcher(l);
            return l.contains(delivered + ": removed") && l.contains(deferred + ": to=<r@remote.test>")
                    && m.find() && l.contains(m.group(1) + ": removed");
        });
        String l = Files.readString(log);
        // client names are "unknown": Mailhive does no reverse DNS of SMTP clients yet
        assertTrue(l, Pattern.compile("mailhive/smtpd\\[\\d+\\]: connect from \\S+\\[127\\.0\\.0\\.1\\]").matcher(l).find());
        assertTrue(l, Pattern.compile("mailhive/smtpd\\[\\d+\\]: disconnect from \\S+\\[127\\.0\\.0\\.1\\]").matcher(l).find());
        assertEvents(l, delivered, List.of("[127.0.0.1]", ": message-id=<", ": from=<alice@localhost>, size=",
                ": to=<alice@localhost>, relay=local, delay=", "dsn=2.0.0, status=sent (delivered to maildir)", ": removed"));
        assertEvents(l, deferred, List.of(": client=", ": message-id=<", ": from=<alice@localhost>, size=",
                ": to=<r@remote.test>, relay=", "status=deferred ("));
        Matcher b = BOUNCED.matcher(l);
        assertTrue(l, b.find());
        String bouncedId = b.group(1);
        assertEvents(l, bouncedId, List.of(": uid=", ": message-id=<", ": from=<alice@localhost>, size=",
                "dsn=5.1.1, status=bounced (unknown user", ": sender non-delivery notification: ", ": removed"));

        // mailq now shows the deferred one with its reason
        MailqEntry d = mailq().stream().filter(e -> e.id().equals(deferred)).findFirst()
                .orElseThrow(() -> new AssertionError("deferred " + deferred + " not in mailq"));
        assertEquals("alice@localhost", d.sender());
        assertEquals(List.of("r@remote.test"), d.recipients());
        assertEquals(1, d.reasons().size());
        assertTrue(d.reasons().get(0), d.reasons().get(0).toLowerCase(Locale.ROOT).contains("connect"));

        // 4. postconf, postfix reload and postfix check, against this running instance
        Result n = mailhive("config", "-n");
        assertEquals(n.out, 0, n.code);
        assertTrue(n.out, n.out.lines().anyMatch(line -> line.startsWith("org.mailhive.smtp.client/relayhost = [127.0.0.1]:")));
        assertTrue("a key left at its default is not listed: " + n.out,
                n.out.lines().noneMatch(line -> line.contains("/minimal_backoff_time")));
        Result one = mailhive("config", "maximal_queue_lifetime");
        assertEquals("maximal_queue_lifetime = 5d", one.out.strip());
        Result ok = mailhive("check");
        assertEquals("a sound configuration: " + ok.out, 0, ok.code);
        CfgFiles.set(config.resolve("org.mailhive.queue.cfg"), "minimal_backoff_time", "7s");
        Result reload = mailhive("reload");
        assertEquals(reload.out, 0, reload.code);
        // FileInstall polls the directory too and may have applied the edit first; either way it must be in effect
        assertTrue(reload.out, reload.out.contains("changed org.mailhive.queue")
                || Pattern.compile("no configuration changed \\((\\d+) of \\1 files already in effect\\)").matcher(reload.out).find());
        Await.until("reload in mail.log", 10_000, () -> Files.readString(log).contains("mailhive/master[")
                && Files.readString(log).contains("reload -- version"));
        assertTrue(mailhive("config", "-n").out.contains("org.mailhive.queue/minimal_backoff_time = 7s"));

        CfgFiles.set(CfgFiles.listenerCfg(config), "port", "99999");
        CfgFiles.set(config.resolve("org.mailhive.tls.cfg"), "ssl_cert", temp.getRoot() + "/missing.crt");
        CfgFiles.set(config.resolve("org.mailhive.aliases.cfg"), "alias_maps", temp.getRoot() + "/no-such-aliases");
        Result bad = mailhive("check");
        assertEquals(bad.out, 1, bad.code);
        String mta = CfgFiles.listenerCfg(config).getFileName().toString();
        assertTrue(bad.out, bad.out.contains(mta + ": port: 99999"));
        assertTrue(bad.out, bad.out.contains("org.mailhive.tls.cfg: ssl_cert: "));
        assertTrue(bad.out, bad.out.contains("org.mailhive.aliases.cfg: alias_maps: "));
    }

    private Result mailhive(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/mailhive").toString(), "--config",
                config.toString(), "--data", data.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, "", false);
    }

    private static void assertEvents(String log, String id, List<String> parts) {
        for (String p : parts) {
            boolean found = log.lines().anyMatch(line -> line.contains(" " + id + ":") && line.contains(p));
            assertTrue("mail.log has no line for " + id + " with \"" + p + "\":\n" + log, found);
        }
    }

    private String smtpSend(String rcpt, String subject) throws Exception {
        try (SmtpClient c = SmtpClient.connect(smtpPort)) {
            expect("220", c.readReply());
            expect("250", c.command("EHLO client.test"));
            expect("250", c.command("MAIL FROM:<alice@localhost>"));
            expect("250", c.command("RCPT TO:<" + rcpt + ">"));
            expect("354", c.command("DATA"));
            String reply = c.command("From: <alice@localhost>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject
                    + "\r\n\r\nbody\r\n.");
            expect("250", reply);
            c.command("QUIT");
            Matcher m = QUEUED_AS.matcher(reply);
            assertTrue(reply, m.find());
            return m.group(1);
        }
    }

    private static void expect(String code, String reply) {
        assertTrue("expected " + code + ", got: " + reply, reply.startsWith(code));
    }

    private void startServer() throws Exception {
        server.start();
        Await.until("SMTP greeting on port " + smtpPort, 60_000, () -> {
            if (!server.alive()) throw new AssertionError("server exited at boot:\n" + server.consoleTail());
            return SmtpClient.greets(smtpPort);
        });
    }

    private String awaitMessage(String user, String token) throws Exception {
        Path dir = data.resolve("mail/localhost").resolve(user).resolve("Maildir");
        String[] found = new String[1];
        Await.until(user + " receives " + token, 30_000, () -> {
            for (String sub : List.of("new", "cur")) {
                Path d = dir.resolve(sub);
                if (!Files.isDirectory(d)) continue;
                try (Stream<Path> s = Files.list(d)) {
                    for (Path p : s.toList()) {
                        String text = Files.readString(p, StandardCharsets.UTF_8);
                        if (text.contains(token)) {
                            found[0] = text;
                            return true;
                        }
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    private String mailqText() throws Exception {
        Result r = run(List.of(home.resolve("bin/mailq").toString(), "--config", config.toString(), "--data",
                data.toString()), "", false);
        assertEquals(r.out, 0, r.code);
        return r.out;
    }

    /** Parses Postfix's mailq layout back into entries. */
    private List<MailqEntry> mailq() throws Exception {
        String text = mailqText();
        List<MailqEntry> out = new ArrayList<>();
        MailqEntry cur = null;
        for (String line : text.split("\n")) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                cur = new MailqEntry(m.group(1), m.group(2), Long.parseLong(m.group(3)), m.group(4), m.group(5),
                        new ArrayList<>(), new ArrayList<>());
                out.add(cur);
            } else if (cur != null && line.startsWith("(") && line.endsWith(")")) {
                cur.reasons().add(line.substring(1, line.length() - 1));
            } else if (cur != null && line.startsWith(" ") && !line.isBlank()) {
                cur.recipients().add(line.strip());
            }
        }
        return out;
    }

    private record Result(int code, String out) {
    }

    /** Runs a command to completion; {@code instanceFromEnv}: found by MAILHIVE_CONFIG/MAILHIVE_DATA only. */
    private Result run(List<String> cmd, String stdin, boolean instanceFromEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_OPTS", "-Xmx128m");
        if (instanceFromEnv) {
            env.put("MAILHIVE_CONFIG", config.toString());
            env.put("MAILHIVE_DATA", data.toString());
        } else {
            env.remove("MAILHIVE_CONFIG");
            env.remove("MAILHIVE_DATA");
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0) + " (CI installs mailutils): " + e, e);
        }
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
