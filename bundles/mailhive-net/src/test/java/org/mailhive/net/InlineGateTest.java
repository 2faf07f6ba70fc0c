package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

/** Input is answered on the I/O thread only when nothing of the session is queued or running on a worker. */
class InlineGateTest {

    private final AtomicInteger inlined = new AtomicInteger();
    private final InboundFilter.Inbound input = new InboundFilter.Inbound(IoBuffer.wrap(new byte[] {'x'}), false);

    @Test
    void onlyWhenNothingIsPendingAndEveryWorkerEventCountsItselfOut() {
        InlineGate gate = InlineGate.install(new DummySession(), in -> inlined.incrementAndGet() > 0);
        assertTrue(gate.tryInline(input));
        gate.queued();
        gate.queued();
        assertFalse(gate.tryInline(input), "input must not overtake the two queued events");
        gate.runOnWorker(() -> { });
        assertFalse(gate.tryInline(input), "one still queued");
        gate.runOnWorker(() -> { });
        assertEquals(0, gate.pending());
        assertTrue(gate.tryInline(input));
        assertEquals(2, inlined.get());
    }

    @Test
    void aHandlerThatDeclinesLeavesTheInputForTheWorker() {
        InlineGate gate = InlineGate.install(new DummySession(), in -> false);
        assertFalse(gate.tryInline(input));
        assertEquals(0, gate.pending());
    }

    @Test
    void theIoThreadNeverWaitsForAWorker() throws Exception {
        InlineGate gate = InlineGate.install(new DummySession(), in -> inlined.incrementAndGet() > 0);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        gate.queued();
        Thread worker = new Thread(() -> gate.runOnWorker(() -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        worker.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertFalse(gate.tryInline(input), "a worker holds the session");
        release.countDown();
        worker.join(10_000);
        assertTrue(gate.tryInline(input));
        assertEquals(1, inlined.get());
    }

    @Test
    void theFilterCountsWhatItPassesOnAndKeepsWhatWasAnsweredInline() throws Exception {
        DummySession session = new DummySession();
        InlineGate gate = InlineGate.install(session, in -> in.buffer().get(0) == 'i');
        InboundFilter filter = InboundFilter.marking();
        AtomicInteger passedOn = new AtomicInteger();
        // every event the filter passes on is counted
        org.apache.mina.core.filterchain.IoFilter.NextFilter next = counting(passedOn);
        filter.messageReceived(next, session, IoBuffer.wrap(new byte[] {'i'}));
        assertEquals(0, passedOn.get());
        filter.messageReceived(next, session, IoBuffer.wrap(new byte[] {'w'}));
        assertEquals(1, passedOn.get());
        assertEquals(1, gate.pending());
        // queued behind the worker's event: not inline even though the handler would take it
        filter.messageReceived(next, session, IoBuffer.wrap(new byte[] {'i'}));
        assertEquals(2, passedOn.get());
        filter.sessionIdle(next, session, org.apache.mina.core.session.IdleStatus.BOTH_IDLE);
        assertEquals(3, passedOn.get());
        assertEquals(3, gate.pending());
    }

    @Test
    void anOpenerTakesSessionOpenedOnTheIoThreadOnlyWhenNothingIsPending() throws Exception {
        DummySession session = new DummySession();
        AtomicInteger greeted = new AtomicInteger();
        InlineGate gate = InlineGate.install(session, in -> false, new InlineGate.Lifecycle() {
            @Override
            public boolean tryOpenInline() {
                return greeted.incrementAndGet() > 0;
            }
        });
        InboundFilter filter = InboundFilter.marking();
        AtomicInteger passedOn = new AtomicInteger();
        org.apache.mina.core.filterchain.IoFilter.NextFilter next = counting(passedOn);
        filter.sessionOpened(next, session);
        assertEquals(1, greeted.get());
        assertEquals(0, passedOn.get(), "taken inline: the worker never sees it");
        assertEquals(0, gate.pending());
        // with an event ahead of it, sessionOpened goes to the worker and is counted
        gate.queued();
        filter.sessionOpened(next, session);
        assertEquals(1, greeted.get());
        assertEquals(1, passedOn.get());
        assertEquals(2, gate.pending());
        // no opener: always the worker's
        DummySession plain = new DummySession();
        InlineGate plainGate = InlineGate.install(plain, in -> false);
        filter.sessionOpened(next, plain);
        assertEquals(2, passedOn.get());
        assertEquals(1, plainGate.pending());
    }

    @Test
    void sessionClosedIsTakenInlineOnlyWhenTheProtocolSaysSo() throws Exception {
        AtomicInteger closedInline = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean clean = new java.util.concurrent.atomic.AtomicBoolean(true);
        DummySession session = new DummySession();
        InlineGate gate = InlineGate.install(session, in -> false, new InlineGate.Lifecycle() {
            @Override
            public boolean tryCloseInline() {
                // a session with something half-written leaves the closing to the worker
                return clean.get() && closedInline.incrementAndGet() > 0;
            }
        });
        InboundFilter filter = InboundFilter.marking();
        AtomicInteger passedOn = new AtomicInteger();
        org.apache.mina.core.filterchain.IoFilter.NextFilter next = counting(passedOn);
        filter.sessionOpened(next, session);
        assertEquals(1, passedOn.get(), "no opener: the worker greets");
        filter.sessionClosed(next, session);
        assertEquals(2, passedOn.get(), "behind the worker's sessionOpened");
        gate.runOnWorker(() -> { });
        gate.runOnWorker(() -> { });
        clean.set(false);
        filter.sessionClosed(next, session);
        assertEquals(3, passedOn.get());
        gate.runOnWorker(() -> { });
        clean.set(true);
        filter.sessionClosed(next, session);
        assertEquals(3, passedOn.get());
        assertEquals(1, closedInline.get());
        assertEquals(0, gate.pending());
    }

    /** The rest of the chain, counting every event passed on to it. */
    private static org.apache.mina.core.filterchain.IoFilter.NextFilter counting(AtomicInteger passedOn) {
        return (org.apache.mina.core.filterchain.IoFilter.NextFilter) java.lang.reflect.Proxy.newProxyInstance(
                InlineGateTest.class.getClassLoader(),
                new Class<?>[] {org.apache.mina.core.filterchain.IoFilter.NextFilter.class}, (proxy, method, args) -> {
                    passedOn.incrementAndGet();
                    return null;
                });
    }
}
