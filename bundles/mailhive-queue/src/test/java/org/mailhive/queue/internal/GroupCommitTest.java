package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.QueueId;

/** Concurrent commits share the fsync of incoming/; a failed shared fsync fails exactly its batch. */
class GroupCommitTest {

    private static final int N = 8;

    @TempDir
    Path root;

    private final ExecutorService threads = Executors.newFixedThreadPool(N);

    @AfterEach
    void shutdown() {
        threads.shutdownNow();
    }

    /** Records every step; the first fsync of incoming/ waits for the test, later ones may fail. */
    private static final class GatedOps implements DiskOps {
        final TestSupport.RecordingOps real;
        final Path incoming;
        final CountDownLatch firstSyncEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirstSync = new CountDownLatch(1);
        final AtomicInteger incomingSyncs = new AtomicInteger();
        volatile boolean failLaterSyncs;
        volatile Path failFsyncOf;

        GatedOps(Path root) {
            this.real = new TestSupport.RecordingOps(root);
            this.incoming = root.resolve("incoming");
        }

        @Override
        public void fsync(FileChannel channel, Path path) throws IOException {
            if (path.equals(failFsyncOf)) throw new IOException("I/O error (test)");
            real.fsync(channel, path);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            if (dir.equals(incoming)) {
                int n = incomingSyncs.incrementAndGet();
                if (n == 1) {
                    firstSyncEntered.countDown();
                    await(releaseFirstSync);
                } else if (failLaterSyncs) {
                    throw new IOException("I/O error (test)");
                }
            }
            real.fsyncDirectory(dir);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            real.move(from, to);
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new IOException("test latch not released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("condition not reached within 10 s");
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private QueueDirectory layout(DiskOps ops) throws IOException {
        QueueDirectory dirs = new QueueDirectory(root, ops);
        dirs.createLayout();
        return dirs;
    }

    private FileDraft draft(QueueDirectory dirs, String id, String body, List<String> committed) throws IOException {
        assertTrue(dirs.claim(id));
        FileDraft d = new FileDraft(dirs, new QueueId(id), dirs.tmp.resolve(id),
                QueueFile.fresh(TestSupport.envelope(id.toLowerCase() + "@localhost"), Instant.parse("2026-03-01T10:00:00Z")),
                (qid, file, size) -> committed.add(qid.value()));
        try (OutputStream out = d.content()) {
            out.write(body.getBytes(StandardCharsets.US_ASCII));
        }
        return d;
    }

    private static String body(String id) {
        return "Subject: " + id + "\r\n\r\nbody of " + id + "\r\n";
    }

    @Test
    void concurrentCommitsShareOneFsyncAndEachIsVisibleWhenItReturns() throws Exception {
        GatedOps ops = new GatedOps(root);
        QueueDirectory dirs = layout(ops);
        List<String> committed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<FileDraft> drafts = new ArrayList<>();
        for (int i = 0; i < N; i++) drafts.add(draft(dirs, "A" + i, body("A" + i), committed));

        Future<QueueId> first = threads.submit(drafts.get(0)::commit);
        assertTrue(ops.firstSyncEntered.await(10, TimeUnit.SECONDS));
        List<Future<QueueId>> rest = new ArrayList<>();
        for (int i = 1; i < N; i++) {
            FileDraft d = drafts.get(i);
            rest.add(threads.submit(() -> {
                QueueId id = d.commit();
                // the promise: durable in incoming/ with its bytes by the time commit returns
                Path dir = root.resolve("incoming").resolve(id.value());
                assertArrayEquals(body(id.value()).getBytes(StandardCharsets.US_ASCII), TestSupport.message(dir));
                assertEquals(1, TestSupport.envelopeOf(dir).recipients().size());
                return id;
            }));
        }
        // all the others renamed and now wait behind the running fsync
        awaitTrue(() -> dirs.incomingSync.waiting() == N - 1);
        assertTrue(committed.isEmpty(), "nobody may be acknowledged before its fsync: " + committed);
        ops.releaseFirstSync.countDown();

        assertEquals("A0", first.get(10, TimeUnit.SECONDS).value());
        for (int i = 1; i < N; i++) assertEquals("A" + i, rest.get(i - 1).get(10, TimeUnit.SECONDS).value());
        // one fsync for the first commit, ONE for the seven that waited
        assertEquals(2, ops.incomingSyncs.get());
        assertEquals(2, dirs.incomingSync.fsyncs());
        assertEquals(N, committed.size());
        assertEquals(List.of(), TestSupport.names(root.resolve("tmp")));
        assertEquals(N, TestSupport.names(root.resolve("incoming")).size());
    }

    @Test
    void failedSharedFsyncFailsEveryWaiterWith451AndLeavesNothingVisible() throws Exception {
        GatedOps ops = new GatedOps(root);
        QueueDirectory dirs = layout(ops);
        List<String> committed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<FileDraft> drafts = new ArrayList<>();
        for (int i = 0; i < N; i++) drafts.add(draft(dirs, "B" + i, body("B" + i), committed));

        Future<QueueId> first = threads.submit(drafts.get(0)::commit);
        assertTrue(ops.firstSyncEntered.await(10, TimeUnit.SECONDS));
        List<Future<QueueId>> rest = new ArrayList<>();
        for (int i = 1; i < N; i++) rest.add(threads.submit(drafts.get(i)::commit));
        awaitTrue(() -> dirs.incomingSync.waiting() == N - 1);
        ops.failLaterSyncs = true;
        ops.releaseFirstSync.countDown();

        assertEquals("B0", first.get(10, TimeUnit.SECONDS).value());
        for (Future<QueueId> f : rest) {
            try {
                f.get(10, TimeUnit.SECONDS);
                fail("commit covered by a failed fsync must not succeed");
            } catch (java.util.concurrent.ExecutionException e) {
                MailException me = (MailException) e.getCause();
                assertEquals(451, me.reply().code());
                assertTrue(me.isTemporary());
            }
        }
        assertEquals(List.of("B0"), committed);
        assertEquals(List.of("B0"), TestSupport.names(root.resolve("incoming")));
        assertEquals(List.of(), TestSupport.names(root.resolve("tmp")));
    }

    @Test
    void failedFileFsyncAnswers451BeforeAnythingIsVisible() throws Exception {
        GatedOps ops = new GatedOps(root);
        ops.releaseFirstSync.countDown();
        QueueDirectory dirs = layout(ops);
        List<String> committed = new ArrayList<>();
        FileDraft d = draft(dirs, "C0", body("C0"), committed);
        ops.failFsyncOf = root.resolve("tmp/C0/entry");
        try {
            d.commit();
            fail("commit with a failed fsync of the entry file must not succeed");
        } catch (MailException e) {
            assertEquals(451, e.reply().code());
        }
        assertEquals(List.of(), committed);
        assertEquals(List.of(), TestSupport.names(root.resolve("incoming")));
        assertEquals(List.of(), TestSupport.names(root.resolve("tmp")));
        assertFalse(ops.real.steps.stream().anyMatch(s -> s.startsWith("move ")), ops.real.steps.toString());
    }

    @Test
    void theFsyncsOfACommitAllEndBeforeTheRename() throws Exception {
        GatedOps ops = new GatedOps(root);
        ops.releaseFirstSync.countDown();
        QueueDirectory dirs = layout(ops);
        FileDraft d = draft(dirs, "D0", body("D0"), new ArrayList<>());
        ops.real.steps.clear();
        d.commit();
        List<String> steps = List.copyOf(ops.real.steps);
        assertEquals(4, steps.size(), steps.toString());
        assertEquals(Set.of("fsync tmp/D0/entry", "fsyncdir tmp/D0"), Set.copyOf(steps.subList(0, 2)));
        assertEquals(List.of("move tmp/D0 incoming/D0", "fsyncdir incoming"), steps.subList(2, 4));
    }
}
