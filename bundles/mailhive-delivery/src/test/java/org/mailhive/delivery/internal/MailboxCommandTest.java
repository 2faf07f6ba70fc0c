package org.mailhive.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailhive.delivery.internal.Fixtures.delivered;
import static org.mailhive.delivery.internal.Fixtures.message;
import static org.mailhive.delivery.internal.Fixtures.request;
import static org.mailhive.delivery.internal.Fixtures.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.mailhive.store.maildir.internal.MaildirStore;

class MailboxCommandTest {

    private static final String ALICE = "alice@example.org";
    private static final EnhancedStatus TEMP = EnhancedStatus.of(4, 3, 0);

    @TempDir
    Path data;

    private Path home;
    private LocalDelivery agent;
    private final Map<String, MailUser> users = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(data.resolve("home/alice"));
        users.put(ALICE, new MailUser(ALICE, home.toString(), Map.of("shell", "/bin/bash")));
        agent = new LocalDelivery();
        agent.setUsers(name -> Optional.ofNullable(users.get(name)));
        agent.bindStore(new MaildirStore(), Map.of(MailboxStore.FORMAT, "maildir", "service.id", 1L));
    }

    /** Configures the command; default_privs is emptied so that it runs as the test's own user. */
    private void command(String command, String... more) {
        Map<String, Object> props = new HashMap<>();
        props.put("mailbox_command", command);
        props.put("default_privs", "");
        for (int i = 0; i < more.length; i += 2) props.put(more[i], more[i + 1]);
        agent.apply(data.toString(), props);
    }

    private RecipientResult deliver() {
        return agent.deliver(request(ALICE, message("cmd"))).get(0);
    }

    private static String q(Path p) {
        return "'" + p + "'";
    }

    private static String lf(byte[] crlf) {
        return text(crlf).replace("\r\n", "\n");
    }

    private boolean mailboxUsed() {
        return Files.exists(data.resolve("mail"));
    }

    @Test
    void pipesTheMessageWithPostfixEnvironmentInsteadOfTheStore() throws IOException {
        Path out = data.resolve("out");
        Path env = data.resolve("env");
        Path cwd = data.resolve("cwd");
        String cmd = "env > " + q(env) + "; pwd > " + q(cwd) + "; cat > " + q(out);
        command(cmd);
        Recipient rcpt = new Recipient(MailAddress.parse(ALICE), Map.of(Recipient.ORCPT, "rfc822;Alice+2Bx@Example.org"));
        RecipientResult r = agent.deliver(request(rcpt, message("cmd"))).get(0);
        assertEquals(RecipientResult.sent(MailAddress.parse(ALICE), "local", "delivered to command: " + cmd), r);
        assertEquals(lf(delivered(ALICE, "cmd")), Files.readString(out, StandardCharsets.UTF_8),
                "Return-Path and Delivered-To first, LF line endings");
        Map<String, String> vars = Files.readAllLines(env).stream().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> a));
        assertEquals(home.toString(), vars.get("HOME"));
        assertEquals(ALICE, vars.get("USER"));
        assertEquals(ALICE, vars.get("LOGNAME"));
        assertEquals("/bin/bash", vars.get("SHELL"));
        assertEquals("bob@example.net", vars.get("SENDER"));
        assertEquals(ALICE, vars.get("RECIPIENT"));
        assertEquals("alice", vars.get("LOCAL"));
        assertEquals("example.org", vars.get("DOMAIN"));
        assertEquals("", vars.get("EXTENSION"));
        assertEquals("Alice+x@Example.org", vars.get("ORIGINAL_RECIPIENT"));
        assertEquals("/usr/local/bin:/usr/bin:/bin", vars.get("PATH"));
        assertFalse(vars.containsKey("JAVA_HOME") || vars.containsKey("MAVEN_OPTS") || vars.containsKey("CLASSPATH"),
                "the server's environment does not leak: " + vars.keySet());
        assertEquals(home.toString(), Files.readString(cwd).trim(), "runs in the user's home");
        assertFalse(mailboxUsed(), "the store is not used while mailbox_command is set");

        command("");
        assertEquals("delivered to maildir", deliver().reason(), "empty mailbox_command: back to the store");
    }

    @Test
    void exTempfailDefers() {
        command("cat > /dev/null; exit 75");
        RecipientResult r = deliver();
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(TEMP, r.dsn());
        assertTrue(r.reason().startsWith("command died with status 75: "), r.reason());
        assertFalse(mailboxUsed());

        command("cat > /dev/null; kill -TERM $$");
        RecipientResult killed = deliver();
        assertEquals(DeliveryStatus.DEFERRED, killed.status());
        assertTrue(killed.reason().startsWith("command died with signal 15: "), killed.reason());

        command("exit 255");
        assertEquals(DeliveryStatus.BOUNCED, deliver().status(), "255 is a status, not a signal");
    }

    @Test
    void otherStatusBouncesWithTheFirstOutput() {
        command("echo 'procmail: cannot open folder' >&2; exit 1");
        RecipientResult r = deliver();
        assertEquals(RecipientResult.bounced(MailAddress.parse(ALICE), EnhancedStatus.of(5, 3, 0), "local",
                "command died with status 1: echo 'procmail: cannot open folder' >&2; exit 1. "
                        + "Command output: procmail: cannot open folder"), r);

        command("head -c 5000 /dev/zero | tr '\\0' x; exit 67");
        RecipientResult chatty = deliver();
        assertEquals(DeliveryStatus.BOUNCED, chatty.status());
        String output = chatty.reason().substring(chatty.reason().indexOf("Command output: ") + 16);
        assertEquals("x".repeat(200), output, "the first 200 characters only");
    }

    @Test
    void timeLimitKillsTheCommandAndItsChildren() throws Exception {
        Path pid = data.resolve("pid");
        command("sleep 60 & echo $! > " + q(pid) + "; wait", "command_time_limit", "1s");
        long start = System.nanoTime();
        RecipientResult r = deliver();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(TEMP, r.dsn());
        assertTrue(r.reason().startsWith("command timeout"), r.reason());
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
        long child = Long.parseLong(Files.readString(pid).trim());
        Optional<ProcessHandle> handle = ProcessHandle.of(child);
        if (handle.isPresent()) {
            // throws TimeoutException when the command's child outlives it
            handle.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCommandThatTalksALotOrReadsNothingDoesNotStall() {
        byte[] big = new byte[4 << 20];
        byte[] line = "0123456789 abcdefghijklmnopqrstuvwxyz\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < big.length; i++) big[i] = line[i % line.length];
        // writes 8 MB before it reads a byte: a delivery feeding and draining on one thread would hang
        command("head -c 8000000 /dev/zero; cat > /dev/null", "command_time_limit", "60s");
        RecipientResult r = agent.deliver(request(ALICE, big)).get(0);
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());

        command("exit 0", "command_time_limit", "60s");
        assertEquals(DeliveryStatus.SENT, agent.deliver(request(ALICE, big)).get(0).status(),
                "a command may stop reading; its status decides");
    }

    @Test
    void anUnreadableQueueFileDefersWhateverTheCommandSays() {
        command("cat > /dev/null");
        for (boolean failAtOpen : List.of(true, false)) {
            MessageContent broken = new MessageContent() {
                @Override
                public InputStream openStream() throws IOException {
                    if (failAtOpen) throw new IOException("queue file gone");
                    return new SequenceInputStream(new ByteArrayInputStream(message("cut")), new InputStream() {
                        @Override
                        public int read() throws IOException {
                            throw new IOException("read error");
                        }
                    });
                }

                @Override
                public long size() {
                    return 1000;
                }
            };
            DeliveryRequest req = request(ALICE, message("x"));
            RecipientResult r = agent.deliver(new DeliveryRequest(req.queueId(), req.envelope(), req.recipients(),
                    broken)).get(0);
            assertEquals(DeliveryStatus.DEFERRED, r.status(), r.toString());
            assertTrue(r.reason().startsWith("cannot read queued message: "), r.reason());
        }
    }

    @Test
    void asRootWithoutSetprivTheCommandIsNotRun() throws IOException {
        Path marker = data.resolve("ran");
        agent.apply(data.toString(), Map.of("mailbox_command", "touch " + q(marker)));
        agent.setPrivileges(new CommandPrivileges(true, Optional.empty(), Path.of("/etc/passwd")));
        RecipientResult r = deliver();
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(TEMP, r.dsn());
        assertTrue(r.reason().contains("setpriv"), r.reason());
        assertFalse(Files.exists(marker));
        assertFalse(mailboxUsed());
    }

    @Test
    void privilegeDecisions() throws IOException {
        Path passwd = Files.writeString(data.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/sh\nmailer:x:1234:1235::/nonexistent:/usr/sbin/nologin\n"
                        + "bad:x:0:1236::/:/bin/sh\n");
        Path setpriv = Path.of("/usr/bin/setpriv");
        CommandPrivileges root = new CommandPrivileges(true, Optional.of(setpriv), passwd);
        assertEquals(List.of("/usr/bin/setpriv", "--reuid=1234", "--regid=1235", "--clear-groups"),
                root.decide("mailer").prefix());
        assertTrue(root.decide("ghost").refused());
        assertTrue(root.decide("bad").refused(), "uid 0 under another name");
        assertEquals(List.of(), root.decide("").prefix(), "empty default_privs: as the server's user");
        CommandPrivileges user = new CommandPrivileges(false, Optional.empty(), passwd);
        assertEquals(List.of(), user.decide("mailer").prefix());
        assertFalse(user.decide("mailer").refused());
    }

    @Test
    void realRootRunsTheCommandAsDefaultPrivs() throws IOException {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root and setpriv");
        String nobody = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(l -> l.startsWith("nobody:"))
                .findFirst().orElse(null);
        Assumptions.assumeTrue(nobody != null, "needs a nobody user");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
        Path shared = Files.createDirectory(data.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path ids = shared.resolve("ids");
        agent.apply(data.toString(), Map.of("mailbox_command", "echo $(id -u) $(id -g) $(id -G) > " + q(ids)));
        assertEquals(DeliveryStatus.SENT, deliver().status());
        String[] f = nobody.split(":");
        assertEquals(f[2] + " " + f[3] + " " + f[3], Files.readString(ids).trim(), "uid gid groups");
    }

    @Test
    void badValuesKeepThePreviousConfiguration() throws IOException {
        Path out = data.resolve("out");
        command("cat > " + q(out));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("mailbox_command", "exit 1", "default_privs", "root"),
                Map.of("mailbox_command", "exit 1", "command_time_limit", "0"),
                Map.of("mailbox_command", "exit 1", "command_time_limit", "soon"),
                Map.of("mailbox_command", "exit 1", "quota_rule", "lots"),
                Map.of("mailbox_command", "exit 1", "quota_full_tempfail", "maybe"))) {
            agent.apply(data.toString(), bad);
        }
        assertEquals(DeliveryStatus.SENT, deliver().status());
        assertTrue(Files.exists(out));
    }

    @Test
    void crlfBecomesLfAcrossReadBoundaries() throws IOException {
        byte[] in = "a\r\nb\rc\r\n\r\n\r".getBytes(StandardCharsets.US_ASCII);
        // one byte per read: every CR sits at a buffer boundary
        InputStream trickle = new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < in.length ? in[pos++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= in.length) return -1;
                b[off] = in[pos++];
                return 1;
            }
        };
        byte[] out = new CrlfToLfInputStream(trickle).readAllBytes();
        assertEquals("a\nb\rc\n\n\r", new String(out, StandardCharsets.US_ASCII));
        byte[] whole = new CrlfToLfInputStream(new ByteArrayInputStream(in)).readAllBytes();
        assertEquals(Arrays.toString("a\nb\rc\n\n\r".getBytes(StandardCharsets.US_ASCII)), Arrays.toString(whole));
    }

    @Test
    void quotaRuleSyntax() {
        assertEquals(100L << 20, QuotaRule.parse("*:storage=100M").storageBytes());
        assertEquals(100L << 20, QuotaRule.parse("*:storage=100MB").storageBytes());
        assertEquals(2L << 30, QuotaRule.parse(" * : storage=2G ").storageBytes());
        assertEquals(1L << 40, QuotaRule.parse("*:storage=1T").storageBytes());
        assertEquals(10L * 1024, QuotaRule.parse("*:storage=10").storageBytes(), "bare storage is in kilobytes");
        assertEquals(10L, QuotaRule.parse("*:bytes=10").storageBytes());
        assertEquals(10L, QuotaRule.parse("*:storage=10B").storageBytes());
        assertTrue(QuotaRule.parse("*:storage=0").unlimited());
        for (String bad : List.of("", "storage=1G", "Trash:storage=1G", "*:messages=100", "*:storage=1G:storage=2G",
                "*:storage=", "*:storage=1X", "*:storage=-1", "*:storage=99999999999999999999")) {
            assertThrowsIae(bad);
        }
    }

    private static void assertThrowsIae(String rule) {
        try {
            QuotaRule.parse(rule);
        } catch (IllegalArgumentException e) {
            return;
        }
        throw new AssertionError("accepted " + rule);
    }
}
