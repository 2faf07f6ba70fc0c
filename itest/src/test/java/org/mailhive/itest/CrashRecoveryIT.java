package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 4's crash proof, on the real distribution in a separate process: kill -9 with mail in
 * active/ and deferred/, restart, and every message reaches the next hop exactly once.
 */
public class CrashRecoveryIT {

    private static final int N = 30;
    private static final int K = 5;
    private static final int BURST = 20;
    private static final String RCPT = "r@remote.test";
    private static final List<String> QUEUES = List.of("incoming", "active", "deferred", "hold");
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private SmtpSink sink;
    private MailhiveProcess server;
    private Path config;
    private Path data;
    private int smtpPort;
    /** X-Seq → queue id from the server's 250 reply. */
    private final Map<String, String> queueIds = new LinkedHashMap<>();

    @Before
    public void setUp() throws Exception {
        sink = new SmtpSink();
        Path root = temp.getRoot().toPath();
        config = root.resolve("config");
        data = root.resolve("data");
        smtpPort = MailhiveProcess.prepareInstance(config, data);
        Files.write(config.resolve("users"), "alice@localhost:{PLAIN}secret1\n".getBytes(StandardCharsets.UTF_8));
        Path queueCfg = config.resolve("org.mailhive.queue.cfg");
        CfgFiles.set(queueCfg, "minimal_backoff_time", "1s");
        CfgFiles.set(queueCfg, "maximal_backoff_time", "2s");
        Path clientCfg = config.resolve("org.mailhive.smtp.client.cfg");
        CfgFiles.set(clientCfg, "relayhost", "[127.0.0.1]:" + sink.port());
        CfgFiles.set(clientCfg, "smtp_connection_cache_time_limit", "0");
        server = new MailhiveProcess(config, data, root.resolve("console.log"));
    }

    @After
    public void tearDown() throws Exception {
        try {
            if (server != null) server.killHard();
        } finally {
            if (sink != null) sink.close();
        }
    }

    @Test
    public void killNineWithMailInActiveAndDeferredLosesNothingAndDuplicatesNothing() throws Exception {
        // Phase 1: the next hop says 451, so all N wait in deferred/.
        sink.deferAll();
        startServer();
        List<String> seqs = submit(1, N);
        Await.until("all " + N + " messages in deferred/", () -> count("deferred") == N);
        assertTrue("the sink answered 451 to each: " + sink.rcptDeferred(), sink.rcptDeferred() >= N);
        assertTrue("the sink received nothing while deferring: " + sink.received(), sink.received().isEmpty());

        // Phase 2: K-1 go through, the K-th hangs before 354 with its message in active/, the
        // rest is deferred again.
        sink.blockFromData(K);
        Await.until("a delivery held at DATA, a message in active/ and mail in deferred/",
                () -> sink.blocked() >= 1 && count("active") >= 1 && count("deferred") >= 1);
        // What the sink got must also be gone from the queue before the kill, or it would rightly
        // be sent again: that window belongs to any MTA, not to this test's question. With a
        // transaction held and RCPT answered 451, no transfer can start any more.
        Await.until("no message transfer in progress at the sink", () -> sink.transferring() == 0);
        Await.until("messages the sink received removed from the queue", () -> {
            Map<String, String> onDisk = onDisk(false);
            return sink.received().keySet().stream().noneMatch(onDisk::containsKey);
        });
        Map<String, Integer> beforeKill = sink.received();
        assertTrue("at most K-1 complete before the block: " + beforeKill, beforeKill.size() <= K - 1);

        server.killHard();

        Map<String, String> afterKill = onDisk(true);
        assertTrue("a message is in active/ at the kill: " + afterKill, afterKill.containsValue("active"));
        assertTrue("deferred/ still holds mail at the kill: " + afterKill, afterKill.containsValue("deferred"));
        assertNothingLost(seqs, afterKill, beforeKill);
        System.out.println("CrashRecoveryIT first kill: received " + beforeKill.keySet() + ", held at DATA "
                + sink.blocked() + ", queued " + new TreeMap<>(afterKill.values().stream()
                        .collect(Collectors.groupingBy(q -> q, Collectors.counting()))));

        // The held connections belong to a dead process: the sink must not count them.
        int held = sink.blocked();
        sink.acceptAll();
        sink.release();
        Await.until(held + " held transactions abandoned", 10_000, () -> sink.abandoned() >= held);
        assertEquals("nothing completed by the dead connections", beforeKill, sink.received());

        // Phase 3: restart, flush, and everything arrives exactly once.
        startServer();
        String[] flush = server.queue("flush");
        assertEquals("bin/mailhive queue flush exit code; output: " + flush[1], "0", flush[0]);
        awaitReceived(seqs);
        Map<String, Integer> got = sink.received();
        Map<String, Integer> notOnce = got.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertTrue("each X-Seq exactly once; not once: " + notOnce, notOnce.isEmpty());
        assertEquals(new TreeSet<>(seqs), got.keySet());
        Await.until("queue directories empty", () -> onDisk(false).isEmpty());
        assertSentLogged(seqs);

        // A second kill -9 right after a burst the sink accepts: at least once, none lost.
        List<String> burst = submit(1001, BURST);
        server.killHard();
        Map<String, Integer> beforeBurstKill = sink.received();
        Map<String, String> afterBurstKill = onDisk(true);
        assertNothingLost(burst, afterBurstKill, beforeBurstKill);
        System.out.println("CrashRecoveryIT burst kill: received " + beforeBurstKill.keySet().stream()
                .filter(burst::contains).count() + " of " + BURST + ", queued " + afterBurstKill);
        startServer();
        awaitReceived(burst);
        Await.until("queue directories empty after the burst", () -> onDisk(false).isEmpty());
        Map<String, Integer> dup = sink.received().entrySet().stream()
                .filter(e -> burst.contains(e.getKey()) && e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        // A message the sink had answered 250 whose 250 the killed server never processed may
        // rightly come again; only loss fails here, duplicates are reported.
        System.out.println("CrashRecoveryIT burst: " + BURST + " delivered at least once; duplicates after kill -9: "
                + (dup.isEmpty() ? "none" : dup));
        assertTrue("burst at least once (duplicates, allowed: " + dup + ")",
                sink.received().keySet().containsAll(burst));
        assertSentLogged(burst);
        for (String s : seqs) {
            assertEquals("phase 1-3 message " + s + " not sent again by the second restart",
                    Integer.valueOf(1), sink.received().get(s));
        }
    }

    private void awaitReceived(List<String> seqs) throws Exception {
        try {
            Await.until("the sink has all " + seqs.size() + " messages", 60_000,
                    () -> sink.received().keySet().containsAll(seqs));
        } catch (AssertionError e) {
            Set<String> missing = new TreeSet<>(seqs);
            missing.removeAll(sink.received().keySet());
            throw new AssertionError(e.getMessage() + "; missing X-Seq " + missing + ", queued " + onDisk(false)
                    + "\n" + server.consoleTail(), e);
        }
    }

    private void startServer() throws Exception {
        server.start();
        Await.until("SMTP greeting on port " + smtpPort, 30_000, () -> {
            if (!server.alive()) {
                throw new AssertionError("server exited at boot:\n" + server.consoleTail());
            }
            return SmtpClient.greets(smtpPort);
        });
        // bin/mailhive execs java: the process we kill must be the JVM itself, not a shell.
        String cmd = server.handle().info().command().orElse("");
        assertTrue("the started process is the JVM: " + cmd, cmd.endsWith("/java"));
    }

    /** Sends messages first..first+count-1 in one SMTP session; returns their X-Seq values. */
    private List<String> submit(int first, int count) throws IOException {
        List<String> seqs = new ArrayList<>();
        try (SmtpClient c = SmtpClient.connect(smtpPort)) {
            expect("220", c.readReply());
            expect("250", c.command("EHLO client.test"));
            for (int i = first; i < first + count; i++) {
                String seq = Integer.toString(i);
                expect("250", c.command("MAIL FROM:<alice@localhost>"));
                expect("250", c.command("RCPT TO:<" + RCPT + ">"));
                expect("354", c.command("DATA"));
                String msg = "From: <alice@localhost>\r\n"
                        + "To: <" + RCPT + ">\r\n"
                        + "Subject: crash test " + seq + "\r\n"
                        + "Message-ID: <crash-" + seq + "@client.test>\r\n"
                        + "X-Seq: " + seq + "\r\n"
                        + "\r\n"
                        + "body of " + seq + "\r\n"
                        + ".\r\n";
                c.send(msg.getBytes(StandardCharsets.US_ASCII));
                String reply = c.readReply();
                expect("250", reply);
                Matcher m = QUEUED_AS.matcher(reply);
                assertTrue("queue id in " + reply, m.find());
                queueIds.put(seq, m.group(1));
                seqs.add(seq);
            }
            c.command("QUIT");
        }
        return seqs;
    }

    private static void expect(String code, String reply) {
        assertTrue("expected " + code + " but got: " + reply, reply.startsWith(code));
    }

    /** Every message must be either still queued (exactly once) or received by the sink. */
    private static void assertNothingLost(List<String> seqs, Map<String, String> onDisk, Map<String, Integer> received) {
        List<String> lost = new ArrayList<>();
        List<String> both = new ArrayList<>();
        for (String s : seqs) {
            boolean queued = onDisk.containsKey(s);
            boolean got = received.containsKey(s);
            if (!queued && !got) lost.add(s);
            if (queued && got) both.add(s);
        }
        assertTrue("lost at kill -9: " + lost + " (on disk " + onDisk + ", received " + received + ")", lost.isEmpty());
        // "both" is legal (received, not yet removed): it is then a later duplicate, counted there.
        if (!both.isEmpty()) System.out.println("CrashRecoveryIT: received but still queued at the kill: " + both);
    }

    /**
     * X-Seq → queue (incoming/active/deferred/hold) of every message on disk. {@code stopped}: the
     * server is dead, so the listing is a snapshot and a message in two places is a failure; while
     * it runs, a message may move between the listing of two queues.
     */
    private Map<String, String> onDisk(boolean stopped) throws IOException {
        Map<String, String> found = new HashMap<>();
        for (String q : QUEUES) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(data.resolve("queue").resolve(q))) {
                for (Path dir : ds) {
                    String seq = xSeq(dir.resolve("entry"));
                    if (seq == null) continue;
                    String prev = found.put(seq, q);
                    assertTrue("X-Seq " + seq + " queued twice: " + prev + " and " + q, prev == null || !stopped);
                }
            } catch (NoSuchFileException e) {
                // queue not created yet
            }
        }
        return found;
    }

    /**
     * The X-Seq header of a queued message (its entry file: the envelope up to the line "end",
     * then the message), or null when the directory vanished meanwhile.
     */
    private static String xSeq(Path entry) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(entry)) {
            head = in.readNBytes(8192);
        } catch (NoSuchFileException e) {
            return null;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\nend\n");
        if (end < 0) throw new AssertionError("no envelope in " + entry);
        for (String line : text.substring(end + 5).split("\r\n")) {
            if (line.isEmpty()) break;
            if (line.regionMatches(true, 0, "X-Seq:", 0, 6)) return line.substring(6).trim();
        }
        throw new AssertionError("no X-Seq header in " + entry);
    }

    private int count(String queue) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("queue").resolve(queue))) {
            return (int) s.count();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private void assertSentLogged(List<String> seqs) throws Exception {
        Path log = data.resolve("log/mail.log");
        Set<String> missing = new TreeSet<>();
        try {
            Await.until("status=sent in mail.log for every message", 10_000, () -> {
                missing.clear();
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                for (String s : seqs) {
                    String id = queueIds.get(s);
                    String prefix = id + ": to=<" + RCPT + ">";
                    if (lines.stream().noneMatch(l -> l.contains(prefix) && l.contains("status=sent"))) {
                        missing.add(s + "=" + id);
                    }
                }
                return missing.isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; missing X-Seq=queue id: " + missing, e);
        }
    }
}
