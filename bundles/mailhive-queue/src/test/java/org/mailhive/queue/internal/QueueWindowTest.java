package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.queue.MessageDraft;

class QueueWindowTest {

    @TempDir
    Path root;

    QueueManager queue;

    @AfterEach
    void stop() {
        if (queue != null) queue.stop();
    }

    @Test
    void noMoreThanTheWindowIsActiveAndTheBacklogIsDeliveredInOrder() throws Exception {
        queue = new QueueManager(new TestSupport.MutableClock(Instant.parse("2026-03-01T10:00:00Z")),
                RealDiskOps.INSTANCE);
        queue.start(TestSupport.settings(root, 4, 2), false);
        queue.bindResolver(TestSupport.LOCAL);
        Semaphore entered = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger maxActiveDirs = new AtomicInteger();
        List<String> delivered = new CopyOnWriteArrayList<>();
        queue.bindAgent(req -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            maxActiveDirs.accumulateAndGet(TestSupport.names(root.resolve("active")).size(), Math::max);
            entered.release();
            try {
                assertTrue(release.await(20, TimeUnit.SECONDS));
                delivered.add(req.queueId().value());
                return List.of(RecipientResult.sent(req.recipients().get(0).address(), "local", "ok"));
            } finally {
                running.decrementAndGet();
            }
        }, TestSupport.transport("local"));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            MessageDraft d = queue.create(TestSupport.envelope("user" + i + "@localhost"));
            try (OutputStream out = d.content()) {
                out.write(("n: " + i + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            ids.add(d.commit().value());
        }
        assertTrue(entered.tryAcquire(2, 20, TimeUnit.SECONDS));
        assertEquals(2, queue.scheduledCount());
        assertEquals(5, TestSupport.names(root.resolve("incoming")).size());
        assertEquals(2, TestSupport.names(root.resolve("active")).size());

        release.countDown();
        assertTrue(queue.awaitIdle(Duration.ofSeconds(20)));
        assertEquals(7, delivered.size());
        assertEquals(new HashSet<>(ids), new HashSet<>(delivered));
        assertTrue(maxRunning.get() <= 2, "running at once: " + maxRunning.get());
        assertTrue(maxActiveDirs.get() <= 2, "in active at once: " + maxActiveDirs.get());
        assertEquals(ids.subList(0, 2), List.copyOf(new java.util.TreeSet<>(delivered.subList(0, 2))));
        assertEquals(List.of(), TestSupport.names(root.resolve("incoming")));
        assertEquals(List.of(), TestSupport.names(root.resolve("active")));
    }
}
