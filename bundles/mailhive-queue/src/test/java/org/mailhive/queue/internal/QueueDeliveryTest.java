package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.bounce.BounceService;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;

class QueueDeliveryTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;

    final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    final List<DeliveryRequest> requests = new CopyOnWriteArrayList<>();
    QueueManager queue;

    @AfterEach
    void stop() {
        if (queue != null) queue.stop();
    }

    QueueManager start(int concurrency, int window) throws Exception {
        queue = new QueueManager(clock, RealDiskOps.INSTANCE);
        queue.start(TestSupport.settings(root, concurrency, window), false);
        return queue;
    }

    String submit(String... rcpts) throws Exception {
        MessageDraft d = queue.create(TestSupport.envelope(rcpts));
        try (OutputStream out = d.content()) {
            out.write(("Subject: test\r\n\r\nhello " + rcpts[0] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return d.commit().value();
    }

    void idle() throws InterruptedException {
        assertTrue(queue.awaitIdle(WAIT), "queue did not become idle");
    }

    QueueFile deferredEnvelope(String id) throws IOException {
        return EnvelopeCodec.decode(Files.readString(root.resolve("deferred").resolve(id).resolve("envelope")));
    }

    void assertQueueEmpty() throws IOException {
        for (String q : List.of("incoming", "active", "deferred", "hold")) {
            assertEquals(List.of(), TestSupport.names(root.resolve(q)), q);
        }
        // tmp/ holds only the free entries of delivered messages, with nothing of them readable
        for (String free : TestSupport.names(root.resolve("tmp"))) {
            assertTrue(free.startsWith(EntryPool.PREFIX), free);
            assertTrue(Files.size(root.resolve("tmp").resolve(free).resolve(QueueEntryFile.NAME)) <= EntryPool.KEPT_BYTES);
        }
    }

    DeliveryAgent sendingAgent() {
        return req -> {
            requests.add(req);
            return req.recipients().stream()
                    .map(r -> RecipientResult.sent(r.address(), "local", "delivered to maildir")).toList();
        };
    }

    @Test
    void sentMessageIsRemovedOnlyAfterTheAgentReturned() throws Exception {
        start(2, 10);
        queue.bindResolver(TestSupport.LOCAL);
        List<String> seen = new CopyOnWriteArrayList<>();
        queue.bindAgent(req -> {
            Path dir = root.resolve("active").resolve(req.queueId().value());
            seen.add(Files.exists(dir.resolve("entry")) + " " + TestSupport.envelopeOf(dir).recipients().size());
            try (InputStream in = req.content().openStream()) {
                seen.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            requests.add(req);
            return List.of(RecipientResult.sent(req.recipients().get(0).address(), "local", "delivered"));
        }, TestSupport.transport("local"));
        String id = submit("alice@localhost");
        idle();
        assertEquals(List.of("true 1", "Subject: test\r\n\r\nhello alice@localhost\r\n"), seen);
        assertEquals(1, requests.size());
        assertEquals(id, requests.get(0).queueId().value());
        assertQueueEmpty();
    }

    @Test
    void fullDestinationPostponesWithoutAnAttemptAndNeverExceedsTheLimit() throws Exception {
        queue = new QueueManager(clock, RealDiskOps.INSTANCE);
        queue.start(TestSupport.settings(root, 2, 10).withDestinationLimit(1), false);
        queue.bindResolver(TestSupport.LOCAL);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        queue.bindAgent(req -> {
            most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                if (requests.isEmpty()) {
                    requests.add(req);
                    inside.countDown();
                    assertTrue(release.await(30, java.util.concurrent.TimeUnit.SECONDS));
                } else {
                    requests.add(req);
                }
                return req.recipients().stream()
                        .map(r -> RecipientResult.sent(r.address(), "local", "delivered")).toList();
            } finally {
                concurrent.decrementAndGet();
            }
        }, TestSupport.transport("local"));
        String first = submit("alice@localhost");
        assertTrue(inside.await(30, java.util.concurrent.TimeUnit.SECONDS));
        String second = submit("bob@localhost");
        // the second message finds local: full; it waits in deferred, not counted as an attempt
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.isDirectory(root.resolve("deferred").resolve(second)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        QueueFile postponed = deferredEnvelope(second);
        assertEquals(0, postponed.attempts());
        assertEquals(RecipientStatus.PENDING, postponed.recipients().get(0).status());
        assertEquals(T0.plus(DeliveryPass.POSTPONE), postponed.nextTry());
        release.countDown();
        idle();
        clock.advance(DeliveryPass.POSTPONE);
        queue.runDeferred(false);
        idle();
        assertEquals(2, requests.size());
        assertEquals(first, requests.get(0).queueId().value());
        assertEquals(second, requests.get(1).queueId().value());
        assertEquals(1, most.get(), "never more than one delivery to the destination at once");
        assertQueueEmpty();
    }

    @Test
    void agentFailureDefersWithReasonAttemptsAndBackoff() throws Exception {
        start(2, 10);
        queue.bindResolver(TestSupport.LOCAL);
        AtomicInteger calls = new AtomicInteger();
        queue.bindAgent(req -> {
            calls.incrementAndGet();
            throw new IOException("mailbox locked");
        }, TestSupport.transport("local"));
        String id = submit("alice@localhost");
        idle();
        QueueFile f = deferredEnvelope(id);
        assertEquals(1, f.attempts());
        assertEquals(T0.plusSeconds(300), f.nextTry());
        assertEquals(RecipientStatus.DEFERRED, f.recipients().get(0).status());
        assertEquals("4.3.0", f.recipients().get(0).dsn());
        assertTrue(f.lastReason().contains("mailbox locked"), f.lastReason());
        assertArrayEquals("Subject: test\r\n\r\nhello alice@localhost\r\n".getBytes(StandardCharsets.UTF_8),
                TestSupport.message(root.resolve("deferred").resolve(id)));

        queue.runDeferred(false);   // not due yet
        idle();
        assertEquals(1, calls.get());

        clock.advance(Duration.ofSeconds(300));
        queue.runDeferred(false);
        idle();
        assertEquals(2, calls.get());
        f = deferredEnvelope(id);
        assertEquals(2, f.attempts());
        assertEquals(clock.instant().plusSeconds(600), f.nextTry());
    }

    @Test
    void onlyTheDeferredRecipientIsRetried() throws Exception {
        start(2, 10);
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(req -> {
            requests.add(req);
            List<RecipientResult> out = new ArrayList<>();
            for (Resolution r : req.recipients()) {
                if (r.address().localPart().equals("bob") && requests.size() == 1) {
                    out.add(RecipientResult.deferred(r.address(), EnhancedStatus.of(4, 2, 2), "local", "quota full"));
                } else {
                    out.add(RecipientResult.sent(r.address(), "local", "delivered"));
                }
            }
            return out;
        }, TestSupport.transport("local"));
        String id = submit("alice@localhost", "bob@localhost");
        idle();
        QueueFile f = deferredEnvelope(id);
        assertEquals(RecipientStatus.SENT, f.recipients().get(0).status());
        assertEquals(RecipientStatus.DEFERRED, f.recipients().get(1).status());
        assertEquals("4.2.2", f.recipients().get(1).dsn());

        clock.advance(Duration.ofSeconds(301));
        queue.runDeferred(false);
        idle();
        assertEquals(2, requests.size());
        assertEquals(List.of("bob@localhost"),
                requests.get(1).recipients().stream().map(r -> r.address().toString()).toList());
        assertQueueEmpty();
        queue.runDeferred(true);
        idle();
        assertEquals(2, requests.size());
    }

    @Test
    void missingResultDefersThatRecipient() throws Exception {
        start(1, 10);
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(req -> List.of(RecipientResult.sent(req.recipients().get(0).address(), "local", "ok")),
                TestSupport.transport("local"));
        String id = submit("alice@localhost", "bob@localhost");
        idle();
        QueueFile f = deferredEnvelope(id);
        assertEquals(RecipientStatus.SENT, f.recipients().get(0).status());
        assertEquals(RecipientStatus.DEFERRED, f.recipients().get(1).status());
        assertTrue(f.recipients().get(1).reason().contains("no result"), f.recipients().get(1).reason());
    }

    @Test
    void messageLeftInActiveIsDeliveredExactlyOnceAfterRestart() throws Exception {
        start(1, 10);
        String id = submit("alice@localhost");   // no resolver: deferred
        idle();
        queue.stop();
        // a crash in the middle of delivery leaves the directory in active/
        Files.move(root.resolve("deferred").resolve(id), root.resolve("active").resolve(id));

        queue = new QueueManager(clock, RealDiskOps.INSTANCE);
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(sendingAgent(), TestSupport.transport("local"));
        queue.start(TestSupport.settings(root, 2, 10), false);
        idle();
        queue.runDeferred(true);
        idle();
        assertEquals(1, requests.size());
        assertEquals(id, requests.get(0).queueId().value());
        assertQueueEmpty();
    }

    @Test
    void missingTransportDefersUntilTheAgentAppears() throws Exception {
        start(2, 10);
        queue.bindResolver(TestSupport.LOCAL);
        String id = submit("alice@localhost");
        idle();
        QueueFile f = deferredEnvelope(id);
        assertEquals("transport local unavailable", f.recipients().get(0).reason());
        assertEquals(0, requests.size());

        queue.bindAgent(sendingAgent(), TestSupport.transport("local"));
        idle();
        assertEquals(1, requests.size());
        assertQueueEmpty();
    }

    @Test
    void missingResolverDefersUntilItAppears() throws Exception {
        start(2, 10);
        queue.bindAgent(sendingAgent(), TestSupport.transport("local"));
        String id = submit("alice@localhost");
        idle();
        assertEquals("address resolver unavailable", deferredEnvelope(id).recipients().get(0).reason());
        queue.bindResolver(TestSupport.LOCAL);
        idle();
        assertEquals(1, requests.size());
        assertQueueEmpty();
    }

    @Test
    void recipientsAreGroupedByTransportAndNexthop() throws Exception {
        start(2, 10);
        queue.bindResolver(a -> a.domain().equals("localhost")
                ? new Resolution(a, AddressClass.LOCAL, "local", "")
                : new Resolution(a, AddressClass.REMOTE, "smtp", a.domain()));
        List<String> smtp = new CopyOnWriteArrayList<>();
        queue.bindAgent(sendingAgent(), TestSupport.transport("local"));
        queue.bindAgent(req -> {
            smtp.add(req.recipients().stream().map(r -> r.nexthop() + ":" + r.address()).toList().toString());
            return req.recipients().stream().map(r -> RecipientResult.sent(r.address(), "mx", "250 ok")).toList();
        }, TestSupport.transport("smtp"));
        submit("a@localhost", "b@one.example", "c@two.example", "d@one.example", "e@localhost");
        idle();
        assertEquals(1, requests.size());
        assertEquals(2, requests.get(0).recipients().size());
        assertEquals(List.of("[one.example:b@one.example, one.example:d@one.example]",
                "[two.example:c@two.example]"), smtp);
        assertQueueEmpty();
    }

    @Test
    void expiredMessageIsBouncedAndRemoved() throws Exception {
        start(1, 10);
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(req -> {
            requests.add(req);
            return List.of(RecipientResult.deferred(req.recipients().get(0).address(), EnhancedStatus.of(4, 4, 1),
                    "local", "try later"));
        }, TestSupport.transport("local"));
        List<String> bounced = new CopyOnWriteArrayList<>();
        queue.bindBounce(new BounceService() {
            @Override
            public void bounce(QueueId qid, Envelope envelope,
                    MessageContent original, List<RecipientResult> failed) {
                failed.forEach(r -> bounced.add(qid + " " + r.recipient() + " " + r.dsn() + " " + r.reason()));
            }

            @Override
            public void delayed(QueueId qid, Envelope envelope,
                    MessageContent original, List<RecipientResult> deferred) {
                throw new AssertionError("no delay warnings configured");
            }
        });
        String id = submit("alice@localhost");
        idle();
        assertTrue(Files.isDirectory(root.resolve("deferred").resolve(id)));
        assertEquals(List.of(), bounced);
        clock.advance(Duration.ofDays(5));
        queue.runDeferred(false);
        idle();
        assertEquals(2, requests.size());
        assertEquals(List.of(id + " alice@localhost 5.4.7 message expired: try later"), bounced);
        assertQueueEmpty();
    }

    @Test
    void heldMessagesAreNeverScheduled() throws Exception {
        start(1, 10);
        String id = submit("alice@localhost");
        idle();
        Files.move(root.resolve("deferred").resolve(id), root.resolve("hold").resolve(id));
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(sendingAgent(), TestSupport.transport("local"));
        queue.runDeferred(true);
        idle();
        queue.stop();
        start(1, 10);
        idle();
        assertEquals(0, requests.size());
        assertEquals(List.of(id), TestSupport.names(root.resolve("hold")));
    }
}
