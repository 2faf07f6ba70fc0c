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

    /** A delivered message in active/0AAA, handed to the pool as the queue manager does. */
    private static Path deliveredAndReleased(QueueDirectory dirs, String message) throws java.io.IOException {
        Path old = dirs.active.resolve("0AAA");
        Files.createDirectories(old);
        Files.writeString(old.resolve("message"), message);
        dirs.writeEnvelope(old, QueueFile.fresh(TestSupport.envelope("old@localhost"), Instant.EPOCH));
        dirs.pool.release(old);
        return old;
    }

    @Test
    void aReusedDirectoryIsWrittenOverCutToTheNewLengthAndCommittedLikeANewOne() throws Exception {
        TestSupport.RecordingOps ops = new TestSupport.RecordingOps(root);
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        dirs.pool.open();
        // a delivered message, longer than the next one, with a longer recipient
        Path old = dirs.active.resolve("0AAA");
        Files.createDirectories(old);
        Files.writeString(old.resolve("message"), "Subject: old\r\n\r\n" + "x".repeat(5000) + "\r\n");
        dirs.writeEnvelope(old, QueueFile.fresh(TestSupport.envelope("a-much-longer-old-recipient@localhost"),
                Instant.EPOCH));
        dirs.pool.release(old);
        assertFalse(Files.exists(old));
        assertEquals(1, dirs.pool.size());
        // a small entry keeps its blocks for the next message to be written over
        Path kept = root.resolve(EntryPool.DIRECTORY).resolve(TestSupport.names(root.resolve(EntryPool.DIRECTORY)).get(0));
        assertTrue(Files.size(kept.resolve("message")) > 5000);

        assertTrue(dirs.pool.take(dirs.tmp.resolve("0BBB")));
        assertEquals(0, dirs.pool.size());
        List<String> committed = new ArrayList<>();
        FileDraft d = new FileDraft(dirs, new QueueId("0BBB"),
                QueueFile.fresh(TestSupport.envelope("new@localhost"), Instant.parse("2026-03-01T10:00:00Z")),
                (id, f, size) -> committed.add(id.value()));
        byte[] body = "Subject: new\r\n\r\nshort\r\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = d.content()) {
            out.write(body);
        }
        ops.steps.clear();
        d.commit();
        // both files were reused: no directory entry changed, so only the files and incoming/ are fsync'd
        assertEquals(java.util.Set.of("fsync tmp/0BBB/message", "fsync tmp/0BBB/envelope"),
                java.util.Set.copyOf(ops.steps.subList(0, 2)));
        assertEquals(List.of("move tmp/0BBB incoming/0BBB", "fsyncdir incoming"), ops.steps.subList(2, 4));
        Path stored = dirs.incoming.resolve("0BBB");
        // exactly the new bytes: nothing of the longer message or envelope is left at the end
        assertArrayEquals(body, Files.readAllBytes(stored.resolve("message")));
        QueueFile f = dirs.readEnvelope(stored);
        assertEquals(EnvelopeCodec.encode(f), Files.readString(stored.resolve("envelope"), StandardCharsets.UTF_8));
        assertEquals(1, f.recipients().size());
        assertEquals("new@localhost", f.recipients().get(0).recipient().address().toString());
        assertEquals(List.of("0BBB"), committed);
        assertFalse(dirs.pool.take(dirs.tmp.resolve("0CCC")), "the pool is empty now");
    }

    @Test
    void aLargeEntryLeavesTheQueueWholeAndIsEmptiedOnlyInThePool() throws Exception {
        List<Long> sizesAtMove = new ArrayList<>();
        DiskOps ops = new TestSupport.RecordingOps(root) {
            @Override
            public void move(Path from, Path to) throws java.io.IOException {
                // what a crash at this instant, or a reader of active/, would find there
                sizesAtMove.add(Files.size(from.resolve("message")));
                sizesAtMove.add(Files.size(from.resolve("envelope")));
                super.move(from, to);
            }
        };
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        dirs.pool.open();
        deliveredAndReleased(dirs, "Subject: old\r\n\r\n" + "y".repeat((int) EntryPool.KEEP_CONTENT) + "\r\n");
        assertEquals(2, sizesAtMove.size());
        assertTrue(sizesAtMove.get(0) > EntryPool.KEEP_CONTENT && sizesAtMove.get(1) > 0,
                "emptied while still in active/: " + sizesAtMove);
        Path kept = root.resolve(EntryPool.DIRECTORY).resolve(TestSupport.names(root.resolve(EntryPool.DIRECTORY)).get(0));
        assertEquals(0, Files.size(kept.resolve("message")), "a large message does not wait in the pool");
    }

    @Test
    void aReusedDirectoryThatLostAFileHasItsEntriesFsyncd() throws Exception {
        TestSupport.RecordingOps ops = new TestSupport.RecordingOps(root);
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        dirs.pool.open();
        deliveredAndReleased(dirs, "Subject: old\r\n\r\nold\r\n");
        Path kept = root.resolve(EntryPool.DIRECTORY).resolve(TestSupport.names(root.resolve(EntryPool.DIRECTORY)).get(0));
        // e.g. an operator's cleanup: the envelope file is gone, so commit creates a directory entry
        Files.delete(kept.resolve("envelope"));
        assertTrue(dirs.pool.take(dirs.tmp.resolve("0BBB")));
        FileDraft d = new FileDraft(dirs, new QueueId("0BBB"),
                QueueFile.fresh(TestSupport.envelope("new@localhost"), Instant.EPOCH), (id, f, size) -> { });
        try (OutputStream out = d.content()) {
            out.write("Subject: new\r\n\r\nnew\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        ops.steps.clear();
        d.commit();
        assertEquals(java.util.Set.of("fsync tmp/0BBB/message", "fsync tmp/0BBB/envelope", "fsyncdir tmp/0BBB"),
                java.util.Set.copyOf(ops.steps.subList(0, 3)));
        assertEquals("new@localhost",
                dirs.readEnvelope(dirs.incoming.resolve("0BBB")).recipients().get(0).recipient().address().toString());
    }

    @Test
    void poolIsBoundedAndClosedPoolDeletes() throws Exception {
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        dirs.createLayout();
        EntryPool small = new EntryPool(root, dirs.ops, 1);
        Path a = entry(dirs, "A");
        small.release(a);
        // not opened: nothing is kept
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(root.resolve(EntryPool.DIRECTORY)));
        small.open();
        Path b = entry(dirs, "B");
        Path c = entry(dirs, "C");
        small.release(b);
        small.release(c);
        assertEquals(1, small.size());
        assertEquals(1, TestSupport.names(root.resolve(EntryPool.DIRECTORY)).size());
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
        Path pool = root.resolve(EntryPool.DIRECTORY);
        assertEquals(1, TestSupport.names(pool).size(), "the delivered message's directory is kept");
        String second = send("second@localhost", "two");
        assertTrue(queue.awaitIdle(Duration.ofSeconds(10)));
        assertTrue(QueueIds.compare(first, second) < 0);
        assertEquals(1, TestSupport.names(pool).size());
        for (String q : List.of("tmp", "incoming", "active", "deferred", "hold")) {
            assertEquals(List.of(), TestSupport.names(root.resolve(q)), q);
        }
    }

    private static Path entry(QueueDirectory dirs, String id) throws Exception {
        Path p = Files.createDirectories(dirs.active.resolve(id));
        Files.writeString(p.resolve("message"), "Subject: " + id + "\r\n\r\n");
        Files.writeString(p.resolve("envelope"), "x");
        return p;
    }

    private String send(String rcpt, String text) throws Exception {
        MessageDraft d = queue.create(TestSupport.envelope(rcpt));
        try (OutputStream out = d.content()) {
            out.write(("Subject: " + text + "\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return d.commit().value();
    }
}
