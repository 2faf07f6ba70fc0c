package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 6's interoperability proof with the readers users actually run, as separate processes
 * against the real distribution: fetchmail and getmail6 over POP3 and POP3S, mutt on the Maildir
 * and on the mbox Mailhive wrote. Each message a reader hands over must END WITH exactly the bytes
 * sent in DATA (Mailhive prepends Return-Path, Delivered-To and Received; the readers prepend their
 * own trace headers), in the line-end convention that reader writes:
 * <ul>
 * <li>Mailhive's Maildir keeps LF on disk (what mutt and Dovecot expect); POP3 sends CRLF.</li>
 * <li>fetchmail with an MDA strips the CR of every line ({@code stripcr} defaults on with an MDA): LF.</li>
 * <li>getmail6 parses the message and writes it out again with {@code os.linesep}: LF.</li>
 * <li>mutt's {@code <pipe-message>} (raw, {@code pipe_decode} off) gives the stored bytes: LF; from an
 * mbox it adds the {@code From } separator line in front and leaves the mboxrd quoting
 * ({@code >From}) in the body, as mutt does with every mboxrd file.</li>
 * </ul>
 * The CI installs the Debian packages fetchmail, getmail6 and mutt; a missing one fails the test.
 */
public class ReaderInteropIT {

    private static final long TOOL_SECONDS = 30;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private MailhiveProcess server;
    private Path root;
    private Path config;
    private Path data;
    private Path collect;
    private int smtpPort;
    private int pop3Port;
    private int pop3sPort;
    private final String run = Long.toString(System.nanoTime(), 36);

    @Before
    public void setUp() throws Exception {
        for (String[] tool : new String[][] {{"fetchmail", "fetchmail"}, {"getmail", "getmail6"}, {"mutt", "mutt"},
                {"script", "bsdutils"}}) {
            requireTool(tool[0], tool[1]);
        }
        root = temp.getRoot().toPath();
        config = root.resolve("config");
        data = root.resolve("data");
        Files.createDirectories(config);
        Files.createDirectories(data);
        try (Stream<Path> files = Files.list(MailhiveProcess.distribution().resolve("config"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        List<Path> listeners = new ArrayList<>(CfgFiles.listenerCfgs(config));
        listeners.addAll(CfgFiles.listenerCfgs(config, CfgFiles.POP3_LISTENER_PID));
        for (Path cfg : listeners) {
            CfgFiles.set(cfg, "port", Integer.toString(CfgFiles.freePort()));
            CfgFiles.set(cfg, "bind", "127.0.0.1");
        }
        smtpPort = Integer.parseInt(CfgFiles.value(CfgFiles.listenerCfg(config), "port"));
        pop3Port = pop3Port("pop3");
        pop3sPort = pop3Port("pop3s");
        Files.writeString(config.resolve("users"), "alice@localhost:{PLAIN}secret1\nbob@localhost:{PLAIN}secret2\n");
        // every reader hands each message to this: one file per message, the way an MDA would
        collect = root.resolve("collect.sh");
        Files.writeString(collect, "#!/bin/sh\nexec cat > \"$(mktemp \"$1/msg.XXXXXXXX\")\"\n");
        collect.toFile().setExecutable(true, false);
        server = new MailhiveProcess(config, data, root.resolve("console.log"));
        server.start();
        Await.until("SMTP greeting on port " + smtpPort, 60_000, () -> {
            if (!server.alive()) throw new AssertionError("server exited at boot:\n" + server.consoleTail());
            return SmtpClient.greets(smtpPort);
        });
        Await.until("POP3 and POP3S listeners", () -> SmtpClient.accepts(pop3Port) && SmtpClient.accepts(pop3sPort));
    }

    @After
    public void tearDown() throws Exception {
        if (server != null) server.killHard();
    }

    @Test
    public void fetchmailAndGetmailRetrieveOverPop3AndPop3sWhatWasSent() throws Exception {
        Map<String, byte[]> sent = deliverTrickySet("alice@localhost", "pop");
        Path maildir = data.resolve("mail/localhost/alice/Maildir");
        Await.until("5 messages in alice's Maildir", () -> countFiles(maildir.resolve("new")) == sent.size());

        // getmail first: it leaves the messages on the server (delete = false)
        assertRetrieved("getmail POP3", sent, getmail("SimplePOP3Retriever", pop3Port, "plain"), false);
        assertRetrieved("getmail POP3S", sent, getmail("SimplePOP3SSLRetriever", pop3sPort, "tls"), false);
        assertRetrieved("fetchmail POP3S (keep)", sent, fetchmail(pop3sPort, true, true), false);
        assertEquals("keep left every message on the server", sent.size(),
                countFiles(maildir.resolve("new")) + countFiles(maildir.resolve("cur")));
        // no "keep": fetchmail deletes each message it delivered, committed by QUIT
        assertRetrieved("fetchmail POP3 (delete)", sent, fetchmail(pop3Port, false, false), false);
        assertEquals("alice's Maildir new/ after fetchmail deleted", 0, countFiles(maildir.resolve("new")));
        assertEquals("alice's Maildir cur/ after fetchmail deleted", 0, countFiles(maildir.resolve("cur")));
    }

    @Test
    public void muttReadsTheMaildirAndTheMboxMailhiveWrote() throws Exception {
        Map<String, byte[]> sent = deliverTrickySet("bob@localhost", "maildir");
        Path maildir = data.resolve("mail/localhost/bob/Maildir");
        Await.until("5 messages in bob's Maildir", () -> countFiles(maildir.resolve("new")) == sent.size());
        assertRetrieved("mutt on the Maildir", sent, mutt(maildir, "maildir"), false);

        Path spool = data.resolve("spool");
        CfgFiles.set(config.resolve("org.mailhive.delivery.cfg"), "mail_location",
                "mbox:" + data.resolve("mbox") + "/%n:INBOX=" + spool + "/%n");
        Path inbox = spool.resolve("bob");
        // the edit reaches the delivery agent asynchronously: probe until one lands in the mbox
        int[] probes = {0};
        Await.until("a delivery into the mbox spool", () -> {
            send("bob@localhost", probe(++probes[0]));
            return Files.exists(inbox) && new String(Files.readAllBytes(inbox), StandardCharsets.ISO_8859_1)
                    .contains("Subject: probe " + run + " " + probes[0] + "\n");
        });
        Map<String, byte[]> mboxSent = deliverTrickySet("bob@localhost", "mbox");
        Await.until("the 5 messages in bob's mbox", () -> {
            String text = new String(Files.readAllBytes(inbox), StandardCharsets.ISO_8859_1);
            return mboxSent.keySet().stream().allMatch(s -> text.contains("\nSubject: " + s + "\n"));
        });
        // a probe sent before the edit may still be on its way: count the From_ lines once the queue is empty
        Await.until("queue empty", () -> queued() == 0);
        String mbox = new String(Files.readAllBytes(inbox), StandardCharsets.ISO_8859_1);
        long separators = mbox.lines().filter(l -> l.startsWith("From ")).count();

        Map<String, byte[]> read = mutt(inbox, "mbox");
        assertEquals("mutt's message count = Mailhive's From_ lines in " + inbox + ": " + read.keySet(),
                separators, read.size());
        assertTrue("only probes besides the 5: " + read.keySet(), read.keySet().stream()
                .allMatch(s -> mboxSent.containsKey(s) || s.startsWith("probe " + run + " ")));
        Map<String, byte[]> ours = new TreeMap<>(read);
        ours.keySet().retainAll(mboxSent.keySet());
        assertRetrieved("mutt on the mbox", mboxSent, ours, true);
    }

    // ---- the messages

    /** Sends the five awkward messages in one SMTP session; subject → the bytes given to DATA, unstuffed. */
    private Map<String, byte[]> deliverTrickySet(String rcpt, String tag) throws IOException {
        Map<String, byte[]> messages = new LinkedHashMap<>();
        String utf8 = "Gr\u00fc\u00dfe aus K\u00f6ln, \u65e5\u672c\u8a9e, "
                + "\u0441\u043f\u0430\u0441\u0438\u0431\u043e \ud83d\udce8\r\n"
                + "second line \u00e9\u00e8\u00ea\r\n";
        put(messages, rcpt, tag, "utf8", "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n", utf8);
        put(messages, rcpt, tag, "dots", "", ".leading dot\r\n..two dots\r\n.\r\nFrom the start of a line\r\n"
                + ">From already quoted\r\n>>From twice\r\n From after a space\r\nlast line\r\n");
        put(messages, rcpt, tag, "long", "", "x".repeat(10) + "y".repeat(970) + "0123456789\r\nshort after\r\n");
        byte[] blob = new byte[768 * 1024];
        new Random(6).nextBytes(blob);
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(blob)
                + "\r\n";
        put(messages, rcpt, tag, "base64", "MIME-Version: 1.0\r\n"
                + "Content-Type: application/octet-stream; name=\"blob.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"blob.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n", b64);
        put(messages, rcpt, tag, "empty", "", "");
        try (SmtpClient c = SmtpClient.connect(smtpPort)) {
            expect("220", c.readReply());
            expect("250", c.command("EHLO reader.test"));
            for (byte[] msg : messages.values()) {
                transfer(c, rcpt, msg);
            }
            c.command("QUIT");
        }
        return messages;
    }

    /** Complete headers (Message-ID, Date) so cleanup adds nothing in the middle of what was sent. */
    private void put(Map<String, byte[]> messages, String rcpt, String tag, String kind, String extraHeaders,
            String body) {
        String subject = "interop " + kind + " " + tag + " " + run;
        String msg = "From: Bob <bob@localhost>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + kind + "." + tag + "." + run + "@reader.test>\r\n"
                + "Date: Tue, 24 Nov 2026 08:00:00 +0000\r\n" + extraHeaders + "\r\n" + body;
        messages.put(subject, msg.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] probe(int n) {
        return ("From: <bob@localhost>\r\nSubject: probe " + run + " " + n + "\r\nMessage-ID: <probe." + n + "." + run
                + "@reader.test>\r\nDate: Tue, 24 Nov 2026 08:00:00 +0000\r\n\r\nprobe\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void send(String rcpt, byte[] msg) throws IOException {
        try (SmtpClient c = SmtpClient.connect(smtpPort)) {
            expect("220", c.readReply());
            expect("250", c.command("EHLO reader.test"));
            transfer(c, rcpt, msg);
            c.command("QUIT");
        }
    }

    private static void transfer(SmtpClient c, String rcpt, byte[] msg) throws IOException {
        expect("250", c.command("MAIL FROM:<bob@localhost>"));
        expect("250", c.command("RCPT TO:<" + rcpt + ">"));
        expect("354", c.command("DATA"));
        // dot-stuffing is the wire's business: every line starting with "." gets one more
        String text = new String(msg, StandardCharsets.ISO_8859_1);
        String stuffed = (text.startsWith(".") ? "." : "") + text.replace("\r\n.", "\r\n..");
        c.send((stuffed + ".\r\n").getBytes(StandardCharsets.ISO_8859_1));
        expect("250", c.readReply());
    }

    private static void expect(String code, String reply) {
        assertTrue("expected " + code + ", got: " + reply, reply.startsWith(code));
    }

    // ---- the readers

    private Map<String, byte[]> getmail(String retriever, int port, String name) throws Exception {
        Path dest = root.resolve("getmail-" + name).resolve("Maildir");
        for (String sub : List.of("new", "cur", "tmp")) Files.createDirectories(dest.resolve(sub));
        String asUser = "";
        if (isRoot()) {
            // getmail6 refuses to write a Maildir as root: it delivers as nobody, who needs the way in
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            for (Path p : List.of(dest, dest.resolve("new"), dest.resolve("cur"), dest.resolve("tmp"))) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            asUser = "user = nobody\n";
        }
        Path dir = Files.createDirectories(root.resolve("getmail-" + name).resolve("state"));
        Path rc = dir.resolve("getmailrc");
        Files.writeString(rc, "[retriever]\ntype = " + retriever + "\nserver = 127.0.0.1\nport = " + port
                + "\nusername = alice@localhost\npassword = secret1\n\n[destination]\ntype = Maildir\npath = " + dest
                + "/\n" + asUser + "\n[options]\nread_all = true\ndelete = false\nverbose = 1\n");
        Result r = run(List.of("getmail", "--rcfile", rc.toString(), "--getmaildir", dir.toString()), Map.of());
        assertEquals("getmail " + retriever + " exit code:\n" + r.out, 0, r.code);
        Map<String, byte[]> got = readDir(dest.resolve("new"));
        got.putAll(readDir(dest.resolve("cur")));
        return got;
    }

    private Map<String, byte[]> fetchmail(int port, boolean ssl, boolean keep) throws Exception {
        Path home = Files.createDirectories(root.resolve("fetchmail-" + port));
        Path out = Files.createDirectories(home.resolve("out"));
        Path rc = home.resolve("fetchmailrc");
        // sslproto '' keeps the plain session plain (fetchmail would otherwise try STLS and
        // reject the self-signed certificate); no rewrite: the headers stay as sent
        Files.writeString(rc, "set no syslog\n"
                + "poll 127.0.0.1 service " + port + " protocol pop3 auth password timeout 30\n"
                + "  user \"alice@localhost\" there with password \"secret1\" is " + System.getProperty("user.name")
                + " here\n"
                + (ssl ? "  ssl no sslcertck\n" : "  sslproto ''\n")
                + "  no rewrite fetchall " + (keep ? "keep" : "no keep") + "\n"
                + "  mda \"" + collect + " " + out + "\"\n");
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        Result r = run(List.of("fetchmail", "-f", rc.toString(), "--nodetach", "-v"),
                Map.of("FETCHMAILHOME", home.toString(), "HOME", home.toString()));
        assertEquals("fetchmail exit code (0 = mail retrieved):\n" + r.out, 0, r.code);
        return readDir(out);
    }

    /**
     * mutt needs a terminal: script(1) gives it a pty. It tags every message and pipes each, raw, to
     * the collector; -R keeps the mailbox untouched, -n and -F skip every muttrc but ours.
     */
    private Map<String, byte[]> mutt(Path mailbox, String name) throws Exception {
        Path home = Files.createDirectories(root.resolve("mutt-" + name));
        Path out = Files.createDirectories(home.resolve("out"));
        Path rc = home.resolve("muttrc");
        // an existing $folder, or mutt first asks whether to create ~/Mail and eats the pushed keys
        Files.writeString(rc, "set folder=\"" + home + "\"\n"
                + "set pipe_split=yes\nset pipe_decode=no\nset pipe_sep=\"\"\nset wait_key=no\nset move=no\n"
                + "push \"<tag-pattern>~A<enter><tag-prefix><pipe-message>" + collect + " " + out
                + "<enter><quit>\"\n");
        String cmd = "mutt -n -R -F '" + rc + "' -f '" + mailbox + "'";
        Result r = run(List.of("script", "-qec", cmd, "/dev/null"),
                Map.of("HOME", home.toString(), "TERM", "vt100", "SHELL", "/bin/sh"));
        assertEquals("mutt exit code:\n" + r.out, 0, r.code);
        return readDir(out);
    }

    // ---- assertions

    /**
     * Exactly the messages sent, each ending with the sent bytes in LF form ({@code mboxrd}: with
     * the {@code >From} quoting the mbox keeps and mutt shows).
     */
    private static void assertRetrieved(String reader, Map<String, byte[]> sent, Map<String, byte[]> got,
            boolean mboxrd) {
        assertEquals(reader + ": subjects of the retrieved messages", new TreeMap<>(sent).keySet(),
                new TreeMap<>(got).keySet());
        for (Map.Entry<String, byte[]> e : sent.entrySet()) {
            String lf = new String(e.getValue(), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            if (mboxrd) lf = lf.replaceAll("(?m)^(>*From )", ">$1");
            assertEndsWith(reader + ": \"" + e.getKey() + "\"", lf.getBytes(StandardCharsets.ISO_8859_1),
                    got.get(e.getKey()));
        }
    }

    private static void assertEndsWith(String what, byte[] expected, byte[] actual) {
        int i = 0;
        while (i < expected.length && i < actual.length
                && expected[expected.length - 1 - i] == actual[actual.length - 1 - i]) {
            i++;
        }
        if (i == expected.length) return;
        int e = expected.length - 1 - i;
        int a = actual.length - 1 - i;
        throw new AssertionError(what + ": " + actual.length + " bytes do not end with the " + expected.length
                + " sent; first difference " + i + " bytes from the end:\n  sent     ..."
                + around(expected, e) + "\n  received ..." + around(actual, a));
    }

    private static String around(byte[] b, int at) {
        if (at < 0) return "(starts here)";
        int from = Math.max(0, at - 40);
        int to = Math.min(b.length, at + 40);
        return new String(b, from, to - from, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
    }

    // ---- plumbing

    /** subject → bytes of every file the collector wrote; two messages with one subject fail. */
    private static Map<String, byte[]> readDir(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().collect(Collectors.toList())) {
                byte[] bytes = Files.readAllBytes(f);
                String subject = subject(bytes, f);
                byte[] prev = out.put(subject, bytes);
                assertTrue("two messages with subject \"" + subject + "\" in " + dir, prev == null);
            }
        }
        return out;
    }

    private static String subject(byte[] message, Path file) {
        for (String line : new String(message, StandardCharsets.UTF_8).split("\r?\n", -1)) {
            if (line.isEmpty()) break;
            if (line.startsWith("Subject: ")) return line.substring("Subject: ".length());
        }
        throw new AssertionError("no Subject in the header of " + file);
    }

    private static int countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }

    private int queued() throws IOException {
        int n = 0;
        for (String q : List.of("maildrop", "incoming", "active", "deferred")) {
            n += countFiles(data.resolve("queue").resolve(q));
        }
        return n;
    }

    private int pop3Port(String name) throws IOException {
        return Integer.parseInt(CfgFiles.value(CfgFiles.listenerCfgs(config, CfgFiles.POP3_LISTENER_PID).stream()
                .filter(p -> CfgFiles.listenerName(p).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " listener .cfg in " + config)), "port"));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void requireTool(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) return;
        }
        throw new AssertionError(command + " is not on the PATH: install the Debian package " + debianPackage
                + " (the CI does)");
    }

    private record Result(int code, String out) {
    }

    /** Runs a reader to completion with stdin at end of file; output goes to a file, so no pipe fills. */
    private Result run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Path log = Files.createTempFile(root, "tool", ".log");
        pb.redirectOutput(log.toFile());
        pb.redirectInput(new File("/dev/null"));
        Process p = pb.start();
        if (!p.waitFor(TOOL_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within " + TOOL_SECONDS + " s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }
}
