package org.mailhive.queue.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.queue.MessageDraft;

/**
 * A running queue manager on a temp directory for tests (also from the cli package): local parts
 * starting with "defer" get a 451, "slow" waits for {@link #proceed} first, the rest are delivered.
 */
public final class QueueFixture implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    public static final String REASON = "host mx.remote.test[127.0.0.9] said: 451 4.3.0 try later";

    final TestSupport.MutableClock clock = new TestSupport.MutableClock(T0);
    final QueueManager queue;
    public final List<String> delivered = new CopyOnWriteArrayList<>();
    public final CountDownLatch slowEntered = new CountDownLatch(1);
    public final CountDownLatch proceed = new CountDownLatch(1);

    public QueueFixture(Path root) throws Exception {
        queue = new QueueManager(clock, RealDiskOps.INSTANCE);
        queue.start(TestSupport.settings(root, 2, 10), false);
        queue.bindResolver(TestSupport.LOCAL);
        queue.bindAgent(agent(), TestSupport.transport("local"));
    }

    private DeliveryAgent agent() {
        return req -> {
            List<RecipientResult> out = new CopyOnWriteArrayList<>();
            for (var r : req.recipients()) {
                String lp = r.address().localPart();
                if (lp.startsWith("slow")) {
                    slowEntered.countDown();
                    if (!proceed.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("test never proceeded");
                }
                if (lp.startsWith("defer") || lp.startsWith("slow")) {
                    out.add(RecipientResult.deferred(r.address(), EnhancedStatus.of(4, 3, 0),
                            "mx.remote.test[127.0.0.9]:25", REASON));
                } else {
                    delivered.add(r.address().toString());
                    out.add(RecipientResult.sent(r.address(), "local", "delivered to maildir"));
                }
            }
            return out;
        };
    }

    public String submit(String... rcpts) throws Exception {
        MessageDraft d = queue.create(TestSupport.envelope(rcpts));
        try (OutputStream out = d.content()) {
            out.write(("Subject: fixture " + rcpts[0] + "\r\nFrom: sender@example.org\r\n\r\nbody\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return d.commit().value();
    }

    public void idle() throws InterruptedException {
        if (!queue.awaitIdle(Duration.ofSeconds(20))) throw new AssertionError("queue did not become idle");
    }

    @Override
    public void close() {
        queue.stop();
    }
}
