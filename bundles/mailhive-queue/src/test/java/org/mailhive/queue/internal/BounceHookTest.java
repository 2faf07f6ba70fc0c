package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.bounce.BounceService;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;

/** The queue's side of bounces: recipients stay until the notice is queued, delay warnings go once. */
class BounceHookTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path root;

    final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    final List<String> agentCalls = new CopyOnWriteArrayList<>();
    QueueManager queue;

    /** Records calls; fails with a 4xx while {@code failures} is above zero. */
    static final class FakeBounces implements BounceService {
        final List<String> bounces = new CopyOnWriteArrayList<>();
        final List<String> delays = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void bounce(QueueId id, Envelope envelope, MessageContent original, List<RecipientResult> failed)
                throws MailException {
            String body;
            try (InputStream in = original.openStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw MailException.temporary("test", e);
            }
            for (RecipientResult r : failed) {
                bounces.add(id + " " + r.recipient() + " " + r.status() + " " + r.dsn() + " " + r.relay() + " "
                        + r.reason() + " arrival=" + envelope.attribute(DeliveryPass.ARRIVAL_ATTRIBUTE, "?")
                        + " body=" + body.length());
            }
            if (failures.getAndDecrement() > 0) throw MailException.temporary("sink unavailable (test)", null);
        }

        @Override
        public void delayed(QueueId id, Envelope envelope, MessageContent original, List<RecipientResult> deferred)
                throws MailException {
            for (RecipientResult r : deferred) delays.add(id + " " + r.recipient() + " " + r.reason());
            if (failures.getAndDecrement() > 0) throw MailException.temporary("sink unavailable (test)", null);
        }
    }

    @AfterEach
    void stop() {
        if (queue != null) queue.stop();
    }

    void start(QueueSettings s) throws Exception {
        queue = new QueueManager(clock, RealDiskOps.INSTANCE);
        queue.start(s, false);
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(agent(), TestSupport.transport("local"));
    }

    /** local parts starting with "reject" fail for good, "defer" for now, the rest are delivered. */
    DeliveryAgent agent() {
        return req -> req.recipients().stream().map(r -> {
            agentCalls.add(r.address().toString());
            String lp = r.address().localPart();
            if (lp.startsWith("reject")) {
                return RecipientResult.bounced(r.address(), EnhancedStatus.of(5, 1, 1), "mx.remote.test[127.0.0.9]:25",
                        "host mx.remote.test[127.0.0.9] said: 550 5.1.1 no such user");
            }
            if (lp.startsWith("defer")) {
                return RecipientResult.deferred(r.address(), EnhancedStatus.of(4, 3, 0), "mx.remote.test[127.0.0.9]:25",
                        "host mx.remote.test[127.0.0.9] said: 451 4.3.0 try later");
            }
            return RecipientResult.sent(r.address(), "local", "delivered to maildir");
        }).toList();
    }

    String submit(String... rcpts) throws Exception {
        MessageDraft d = queue.create(TestSupport.envelope(rcpts));
        try (OutputStream out = d.content()) {
            out.write("Subject: hook\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return d.commit().value();
    }

    void idle() throws InterruptedException {
        assertTrue(queue.awaitIdle(Duration.ofSeconds(20)), "queue did not become idle");
    }

    QueueFile deferred(String id) throws IOException {
        return EnvelopeCodec.decode(Files.readString(root.resolve("deferred").resolve(id).resolve("envelope")));
    }

    boolean queued(String id) {
        for (String q : List.of("incoming", "active", "deferred", "hold")) {
            if (Files.exists(root.resolve(q).resolve(id))) return true;
        }
        return false;
    }

    @Test
    void failingBounceServiceKeepsTheRecipientUntilItSucceeds() throws Exception {
        start(TestSupport.settings(root, 1, 10));
        FakeBounces b = new FakeBounces();
        b.failures.set(1);
        queue.bindBounce(b);
        String id = submit("alice@localhost", "reject-me@localhost");
        idle();
        assertEquals(1, b.bounces.size());
        QueueFile f = deferred(id);
        assertEquals(RecipientStatus.SENT, f.recipients().get(0).status());
        assertEquals(RecipientStatus.BOUNCING, f.recipients().get(1).status());
        assertEquals("mx.remote.test[127.0.0.9]:25", f.recipients().get(1).relay());
        assertFalse(f.hasOpenRecipients());

        queue.runDeferred(true);
        idle();
        assertEquals(2, b.bounces.size());
        assertEquals(id + " reject-me@localhost BOUNCED 5.1.1 mx.remote.test[127.0.0.9]:25 host mx.remote.test"
                + "[127.0.0.9] said: 550 5.1.1 no such user arrival=" + T0.toEpochMilli() + " body=23",
                b.bounces.get(1));
        assertEquals(List.of("alice@localhost", "reject-me@localhost"), agentCalls, "nobody delivered twice");
        assertFalse(queued(id));
    }

    @Test
    void withoutBounceServiceTheMessageWaitsForIt() throws Exception {
        start(TestSupport.settings(root, 1, 10));
        String id = submit("reject-1@localhost");
        idle();
        assertEquals(RecipientStatus.BOUNCING, deferred(id).recipients().get(0).status());
        queue.runDeferred(true);
        idle();
        assertEquals(RecipientStatus.BOUNCING, deferred(id).recipients().get(0).status(), "never dropped");

        FakeBounces b = new FakeBounces();
        queue.bindBounce(b);   // retries what waited for it at once
        idle();
        assertEquals(1, b.bounces.size());
        assertTrue(b.bounces.get(0).startsWith(id + " reject-1@localhost BOUNCED 5.1.1"), b.bounces.get(0));
        assertFalse(queued(id));
        assertEquals(List.of("reject-1@localhost"), agentCalls);
    }

    @Test
    void delayWarningGoesOnceAfterDelayWarningTime() throws Exception {
        start(TestSupport.settings(root, 1, 10).withDelayWarning(Duration.ofHours(4)));
        FakeBounces b = new FakeBounces();
        b.failures.set(1);
        queue.bindBounce(b);
        String id = submit("defer-1@localhost");
        idle();
        assertEquals(List.of(), b.delays, "too early");

        clock.advance(Duration.ofHours(5));
        queue.runDeferred(true);
        idle();
        assertEquals(1, b.delays.size());
        assertFalse(deferred(id).warned(), "the failed warning is tried again");

        queue.runDeferred(true);
        idle();
        assertEquals(2, b.delays.size());
        assertTrue(deferred(id).warned());
        queue.runDeferred(true);
        idle();
        assertEquals(2, b.delays.size(), "only once per message");
        assertEquals(id + " defer-1@localhost host mx.remote.test[127.0.0.9] said: 451 4.3.0 try later",
                b.delays.get(1));
        assertEquals(List.of(), b.bounces);
    }

    @Test
    void delayWarningOffByDefault() throws Exception {
        start(TestSupport.settings(root, 1, 10));
        FakeBounces b = new FakeBounces();
        queue.bindBounce(b);
        submit("defer-2@localhost");
        idle();
        clock.advance(Duration.ofDays(4));
        queue.runDeferred(true);
        idle();
        assertEquals(List.of(), b.delays);
    }
}
