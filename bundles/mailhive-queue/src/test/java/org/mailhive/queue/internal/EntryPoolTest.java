package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;

/** Delivered message directories are reused, and a reused one holds only the new message. */
class EntryPoolTest {

    @TempDir
    Path root;

    private QueueManager queue;

    @AfterEach
    void stop() {
        if (queue != null) queue.stop();
    }

    /** A committed message in active/0AAA (entry file: envelope, then message), delivered and released. */
    private static Path deliveredAndReleased(QueueDirectory dirs, String rcpt, String message) throws java.io.IOException {
        Path old = committed(dirs, "0AAA", rcpt, message);
        dirs.pool.release(old, true);
        return old;
    }

    private static Path committed(QueueDirectory dirs, String id, String rcpt, String message) throws java.io.IOException {
        Path dir = Files.createDirectories(dirs.active.resolve(id));
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(QueueEntryFile.header(QueueFile.fresh(TestSupport.envelope(rcpt), Instant.EPOCH)));
        b.write(message.getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve(QueueEntryFile.NAME), b.toByteArray());
        return dir;
    }

    /** The one free entry in tmp/. */
    private static Path kept(Path root) throws java.io.IOException {
        List<String> free = TestSupport.names(root.resolve("tmp"));
        assertEquals(1, free.size(), free.toString());
        assertTrue(free.get(0).startsWith(EntryPool.PREFIX), free.toString());
        return root.resolve("tmp").resolve(free.get(0));
    }

    @Test
    void aReusedDirectoryIsWrittenOverCutToTheNewLengthAndCommittedLikeANewOne() throws Exception {
        TestSupport.RecordingOps ops = new TestSupport.RecordingOps(root);
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        dirs.pool.open();
        // a delivered message, longer than the next one, with a longer recipient
        Path old = deliveredAndReleased(dirs, "a-much-longer-old-recipient@localhost",
                "Subject: old\r\n\r\n" + "x".repeat(5000) + "\r\n");
        assertFalse(Files.exists(old));
        assertEquals(1, dirs.pool.size());
        // nothing of the delivered message stays readable while the entry waits
        assertEquals(EntryPool.KEPT_BYTES, Files.size(kept(root).resolve(QueueEntryFile.NAME)));

        Path free = kept(root);
        assertEquals(free, dirs.pool.take());
        assertEquals(0, dirs.pool.size());
        List<String> committed = new ArrayList<>();
        FileDraft d = new FileDraft(dirs, new QueueId("0BBB"), free,
                QueueFile.fresh(TestSupport.envelope("new@localhost"), Instant.parse("2026-03-01T10:00:00Z")),
                (id, f, size) -> committed.add(id.value() + " " + size));
        byte[] body = "Subject: new\r\n\r\nshort\r\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = d.content()) {
            out.write(body);
        }
        ops.steps.clear();
        d.commit();
        // the entry file was reused: no directory entry changed, so only it and incoming/ are fsync'd
        // written where it waited in tmp/: the only rename is the one into incoming/
        String name = free.getFileName().toString();
        assertEquals(List.of("fsync tmp/" + name + "/entry", "move tmp/" + name + " incoming/0BBB", "fsyncdir incoming"),
                ops.steps);
        Path stored = dirs.incoming.resolve("0BBB");
        QueueDirectory.Entry e = dirs.read(stored);
        assertTrue(e.pristine());
        // exactly the new bytes: nothing of the longer message is left at the end
        assertArrayEquals(body, e.content().openStream().readAllBytes());
        assertEquals(body.length, e.content().size());
        assertEquals(1, e.file().recipients().size());
        assertEquals("new@localhost", e.file().recipients().get(0).recipient().address().toString());
        assertEquals(List.of("0BBB " + body.length), committed);
        assertEquals(List.of(QueueEntryFile.NAME), TestSupport.names(stored));
        assertEquals(null, dirs.pool.take(), "the pool is empty now");
        assertEquals(List.of(), TestSupport.names(root.resolve("tmp")));
    }

    @Test
    void anEntryLeavesTheQueueWholeAndIsEmptiedOnlyInThePool() throws Exception {
        List<Long> sizesAtMove = new ArrayList<>();
        DiskOps ops = new TestSupport.RecordingOps(root) {
            @Override
            public void move(Path from, Path to) throws java.io.IOException {
                // what a crash at this instant, or a reader of active/, would find there
                sizesAtMove.add(Files.size(from.resolve(QueueEntryFile.NAME)));
                super.move(from, to);
            }
        };
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        dirs.pool.open();
        deliveredAndReleased(dirs, "old@localhost", "Subject: old\r\n\r\n" + "y".repeat(100_000) + "\r\n");
        assertEquals(1, sizesAtMove.size());
        assertTrue(sizesAtMove.get(0) > 100_000, "emptied while still in active/: " + sizesAtMove);
        Path file = kept(root).resolve(QueueEntryFile.NAME);
        assertEquals(EntryPool.KEPT_BYTES, Files.size(file), "a delivered message does not wait in the pool");
        assertFalse(Files.readString(file).contains("old"));
    }

    @Test
    void onlyAPristineEntryIsReusedAndALeftoverEnvelopeNeverReachesANewMessage() throws Exception {
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        dirs.createLayout();
        dirs.pool.open();
        // deferred once (its envelope written apart), then delivered: not reused, removed
        Path deferred = committed(dirs, "0AAA", "old@localhost", "Subject: x\r\n\r\n");
        dirs.replaceEnvelope(deferred, QueueFile.fresh(TestSupport.envelope("old@localhost"), Instant.EPOCH),
                Instant.EPOCH);
        assertFalse(dirs.read(deferred).pristine());
        dirs.pool.release(deferred, false);
        assertFalse(Files.exists(deferred));
        assertEquals(0, dirs.pool.size());
        // at start, tmp/ holds a draft a crash interrupted (entry and an envelope file) and a
        // free entry of an earlier version (message + envelope): both become clean free entries,
        // and the pool directory of that version goes
        Path draft = Files.createDirectories(dirs.tmp.resolve("0ABC"));
        Files.writeString(draft.resolve(QueueEntryFile.NAME), "version=1\nsender=half");
        TestSupport.writeEnvelope(draft, QueueFile.fresh(TestSupport.envelope("old@localhost"), Instant.EPOCH));
        Path leftover = Files.createDirectories(dirs.tmp.resolve(EntryPool.PREFIX + "1234"));
        Files.writeString(leftover.resolve(QueueDirectory.MESSAGE), "Subject: old\r\n\r\n");
        TestSupport.writeEnvelope(leftover, QueueFile.fresh(TestSupport.envelope("old@localhost"), Instant.EPOCH));
        Files.createDirectories(root.resolve(EntryPool.OLD_DIRECTORY).resolve("5678"));
        EntryPool again = new EntryPool(root, dirs.ops, 10);
        assertEquals(2, again.open(), "the draft and the entry of the earlier version held more than a free entry");
        assertFalse(Files.exists(root.resolve(EntryPool.OLD_DIRECTORY)));
        assertEquals(2, again.size());
        List<String> free = TestSupport.names(dirs.tmp);
        assertEquals(2, free.size());
        for (String name : free) {
            assertTrue(name.startsWith(EntryPool.PREFIX), name);
            List<String> files = TestSupport.names(dirs.tmp.resolve(name));
            assertTrue(files.isEmpty() || files.equals(List.of(QueueEntryFile.NAME)), files.toString());
            if (!files.isEmpty()) assertEquals(EntryPool.KEPT_BYTES, Files.size(dirs.tmp.resolve(name).resolve(QueueEntryFile.NAME)));
        }
        Path taken = again.take();
        FileDraft d = new FileDraft(dirs, new QueueId("0BBB"), taken,
                QueueFile.fresh(TestSupport.envelope("new@localhost"), Instant.EPOCH), (id, f, size) -> { });
        try (OutputStream out = d.content()) {
            out.write("Subject: new\r\n\r\nnew\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        d.commit();
        assertEquals("new@localhost",
                dirs.readEnvelope(dirs.incoming.resolve("0BBB")).recipients().get(0).recipient().address().toString());
    }

    @Test
    void aReleasedEntryNeverTakesTheNameOfAnAdoptedOne() throws Exception {
        // free entries of a run before a reboot, named just where this run's names count on from
        // (nanoTime starts again after a reboot)
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        dirs.createLayout();
        for (int i = 1; i <= 3; i++) {
            Files.createDirectories(dirs.tmp.resolve(EntryPool.PREFIX + Long.toHexString(1000 + i)));
        }
        EntryPool pool = new EntryPool(root, dirs.ops, 10, 1000);
        pool.open();
        assertEquals(3, pool.size());
        for (String rcpt : List.of("a@localhost", "b@localhost")) {
            pool.release(committed(dirs, "0A", rcpt, "Subject: x\r\n\r\n"), true);
        }
        // a rename onto an adopted (empty) directory would have replaced it: five entries, all distinct
        assertEquals(5, pool.size());
        assertEquals(5, TestSupport.names(dirs.tmp).size());
        java.util.Set<Path> taken = new java.util.HashSet<>();
        for (Path p; (p = pool.take()) != null;) assertTrue(taken.add(p), "taken twice: " + p);
        assertEquals(5, taken.size());
    }

    @Test
    void aReusedDirectoryThatLostItsFileHasItsEntriesFsyncd() throws Exception {
        TestSupport.RecordingOps ops = new TestSupport.RecordingOps(root);
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        dirs.pool.open();
        deliveredAndReleased(dirs, "old@localhost", "Subject: old\r\n\r\nold\r\n");
        // e.g. an operator's cleanup: the entry file is gone, so commit creates a directory entry
        Files.delete(kept(root).resolve(QueueEntryFile.NAME));
        Path taken = dirs.pool.take();
        FileDraft d = new FileDraft(dirs, new QueueId("0BBB"), taken,
                QueueFile.fresh(TestSupport.envelope("new@localhost"), Instant.EPOCH), (id, f, size) -> { });
        try (OutputStream out = d.content()) {
            out.write("Subject: new\r\n\r\nnew\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        ops.steps.clear();
        d.commit();
        String name = taken.getFileName().toString();
        assertEquals(java.util.Set.of("fsync tmp/" + name + "/entry", "fsyncdir tmp/" + name),
                java.util.Set.copyOf(ops.steps.subList(0, 2)));
        assertEquals("new@localhost",
                dirs.readEnvelope(dirs.incoming.resolve("0BBB")).recipients().get(0).recipient().address().toString());
    }

    @Test
    void poolIsBoundedAndClosedPoolDeletes() throws Exception {
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        dirs.createLayout();
        EntryPool small = new EntryPool(root, dirs.ops, 1);
        Path a = committed(dirs, "A", "a@localhost", "Subject: A\r\n\r\n");
        small.release(a, true);
        // not opened: nothing is kept
        assertFalse(Files.exists(a));
        assertEquals(List.of(), TestSupport.names(dirs.tmp));
        small.open();
        Path b = committed(dirs, "B", "b@localhost", "Subject: B\r\n\r\n");
        Path c = committed(dirs, "C", "c@localhost", "Subject: C\r\n\r\n");
        small.release(b, true);
        small.release(c, true);
        assertEquals(1, small.size());
        assertEquals(1, TestSupport.names(dirs.tmp).size());
        assertFalse(Files.exists(c));
        // a restart adopts what is there
        EntryPool again = new EntryPool(root, dirs.ops, 1);
        again.open();
        assertEquals(1, again.size());
    }

    @Test
    void theQueueManagerReusesTheDirectoryOfADeliveredMessage() throws Exception {
        queue = new QueueManager(new TestSupport.MutableClock(Instant.parse("2026-03-01T10:00:00Z")),
                new TestSupport.RecordingOps(root));
        queue.bindResolver(TestSupport.LOCAL);
        DeliveryAgent agent = req -> req.recipients().stream()
                .map(r -> RecipientResult.sent(r.address(), "local", "delivered")).toList();
        queue.bindAgent(agent, TestSupport.transport("local"));
        queue.start(TestSupport.settings(root, 1, 10), false);
        String first = send("first@localhost", "one");
        assertTrue(queue.awaitIdle(Duration.ofSeconds(10)));
        Path pool = root.resolve("tmp");
        List<String> kept = TestSupport.names(pool);
        assertEquals(1, kept.size(), "the delivered message's directory is kept");
        String second = send("second@localhost", "two");
        assertTrue(queue.awaitIdle(Duration.ofSeconds(10)));
        assertTrue(QueueIds.compare(first, second) < 0);
        assertEquals(1, TestSupport.names(pool).size());
        assertFalse(kept.equals(TestSupport.names(pool)), "taken for the second message, kept again under a new name");
        for (String q : List.of("incoming", "active", "deferred", "hold")) {
            assertEquals(List.of(), TestSupport.names(root.resolve(q)), q);
        }
    }

    private String send(String rcpt, String text) throws Exception {
        MessageDraft d = queue.create(TestSupport.envelope(rcpt));
        try (OutputStream out = d.content()) {
            out.write(("Subject: " + text + "\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return d.commit().value();
    }
}
