package org.mailhive.queue.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.queue.internal.QueueFixture;

class QueueCommandTest {

    @TempDir
    Path dir;

    Path config;
    Path data;
    Path root;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void layout() throws Exception {
        config = Files.createDirectories(dir.resolve("config"));
        data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(config.resolve("org.mailhive.queue.cfg"),
                "# where the queue lives\nqueue_directory = ${mailhive.data}/spool\n");
        root = data.resolve("spool");
    }

    int run(Duration timeout, String... args) {
        out.reset();
        err.reset();
        String[] all = Stream.concat(Stream.of(args), Stream.of("--config", config.toString(), "--data",
                data.toString())).toArray(String[]::new);
        return new QueueCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), timeout).run(all);
    }

    int run(String... args) {
        return run(Duration.ofSeconds(10), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    List<String> requestFiles() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("requests"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void queueDirectoryFromTheCfgOrUnderData() throws Exception {
        assertEquals(root, QueueCommand.queueDirectory(config, data));
        Files.delete(config.resolve("org.mailhive.queue.cfg"));
        assertEquals(data.resolve("queue"), QueueCommand.queueDirectory(config, data));
    }

    @Test
    void withoutServerTheCommandWorksOnTheFiles() throws Exception {
        String a;
        String b;
        try (QueueFixture fx = new QueueFixture(root)) {
            a = fx.submit("defer-x@remote.test");
            b = fx.submit("defer-y@remote.test", "ok@localhost");
            fx.idle();
        }
        assertEquals(0, run("list"));
        String list = out();
        assertTrue(list.startsWith("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n" + a + " "),
                list);
        assertTrue(list.contains("\n(" + QueueFixture.REASON + ")\n"), list);
        assertTrue(list.contains(" defer-y@remote.test\n"), list);
        assertTrue(list.endsWith("\n-- 1 Kbytes in 2 Requests.\n"), list);

        assertEquals(0, run("list", "--json"));
        List<String> lines = out().lines().toList();
        assertEquals(2, lines.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) Json.parse(lines.get(0));
        assertEquals("deferred", first.get("queue_name"));
        assertEquals(a, first.get("queue_id"));
        assertEquals(QueueFixture.T0.getEpochSecond(), first.get("arrival_time"));
        assertEquals("sender@example.org", first.get("sender"));
        assertEquals(List.of(Map.of("address", "defer-x@remote.test", "delay_reason", QueueFixture.REASON)),
                first.get("recipients"));
        assertEquals(QueueFixture.T0.getEpochSecond() + 300, first.get("next_try"));
        assertNotNull(Json.parse(lines.get(1)));

        assertEquals(0, run("show", b.toLowerCase()));
        assertTrue(out().startsWith("Queue ID: " + b + "\nQueue: deferred\n"), out());
        assertTrue(out().contains("Subject: fixture defer-y@remote.test\n"), out());
        assertEquals(1, run("show", "ABCDEF"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no message ABCDEF"));

        assertEquals(0, run("delete", "ALL"));
        assertEquals("Deleted: 2 messages\n", out());
        assertEquals(0, run("list"));
        assertEquals("Mail queue is empty\n", out());
        try (FileChannel ch = FileChannel.open(root.resolve(".qmgr.lock"), StandardOpenOption.WRITE);
                FileLock l = ch.tryLock()) {
            assertNotNull(l, "the command let go of the lock");
        }
    }

    @Test
    void theRunningQueueManagerAnswersRequests() throws Exception {
        try (QueueFixture fx = new QueueFixture(root)) {
            String a = fx.submit("defer-x@remote.test");
            fx.submit("defer@other.test");
            fx.idle();
            assertEquals(0, run("list"));
            assertTrue(out().contains(a + "  "), out());
            assertTrue(out().contains("(" + QueueFixture.REASON + ")"), out());

            assertEquals(0, run("flush", "remote.test"));
            assertEquals("Flushed: 1 message\n", out());
            fx.idle();
            assertEquals(0, run("hold", a));
            assertEquals("Placed on hold: 1 message\n", out());
            assertEquals(0, run("list"));
            assertTrue(out().contains(a + "!"), out());
            assertEquals(0, run("release", "ALL"));
            assertEquals("Released from hold: 1 message\n", out());
            fx.idle();
            assertEquals(0, run("requeue", a));
            fx.idle();
            assertEquals(0, run("delete", "ALL"));
            assertEquals("Deleted: 2 messages\n", out());
            assertEquals(0, run("list"));
            assertEquals("Mail queue is empty\n", out());
            assertEquals(List.of(), requestFiles(), "requests and answers are cleaned up");
        }
    }

    @Test
    void aLockHolderThatDoesNotAnswerTimesOut() throws Exception {
        Files.createDirectories(root);
        try (FileChannel ch = FileChannel.open(root.resolve(".qmgr.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock l = ch.lock()) {
            assertEquals(1, run(Duration.ofMillis(300), "list"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("did not answer"), err.toString());
            assertEquals(List.of(), requestFiles(), "the unanswered request was taken back");
        }
    }

    @Test
    void anotherOfflineCommandHoldingTheLockIsWaitedFor() throws Exception {
        Files.createDirectories(root.resolve("requests"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (FileChannel ch = FileChannel.open(root.resolve(".qmgr.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock l = ch.lock();
            Future<Integer> exit = pool.submit(() -> run("list"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (requestFiles().stream().noneMatch(n -> n.endsWith(".req"))) {
                assertTrue(System.nanoTime() < deadline, "no request was left");
                Thread.onSpinWait();
            }
            l.release();
            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
            assertEquals("Mail queue is empty\n", out());
            assertEquals(List.of(), requestFiles(), "the request was taken back");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void usageErrors() throws Exception {
        assertEquals(2, run());
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("delete"));
        assertEquals(2, run("show"));
        assertEquals(2, run("show", "not/an/id"));
        assertEquals(2, run("list", "--bogus"));
        assertEquals(2, run("hold", "12 34"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: mailhive queue"));
        out.reset();
        err.reset();
        assertEquals(2, new QueueCommand(new PrintStream(out), new PrintStream(err), Duration.ofSeconds(1))
                .run("list", "--config", config.toString()));
        assertEquals(0, run("list"), "no queue directory yet: an empty queue");
        assertEquals("Mail queue is empty\n", out());
        assertTrue(Files.notExists(root), "nothing created by looking");
    }
}
