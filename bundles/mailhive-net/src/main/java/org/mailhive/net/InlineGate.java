package org.mailhive.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Lets a protocol answer input on the I/O thread when that needs neither the disk nor a wait, so
 * that a command/reply round trip costs no hand-off to a worker and back (a POP3 client fetching
 * thousands of small messages one RETR at a time waits for each round trip).
 *
 * <p>The session's state is then touched by two threads, never at once and never out of order:
 * <ul>
 * <li>whoever runs the protocol holds {@link #lock()}: the worker for each event it handles
 * ({@link #runOnWorker}), the I/O thread only by {@code tryLock} (it never waits);</li>
 * <li>the I/O thread answers inline only when no event of the session is queued or running on
 * a worker ({@link #pending} is zero), so inline input never overtakes input before it.</li>
 * </ul>
 * Every event the {@link InboundFilter} passes on to the worker while a gate is installed is
 * counted, and the handler must end each with {@link #runOnWorker} (which counts it done). A
 * handler that forgets one only loses the shortcut: the count stays above zero.
 */
public final class InlineGate {

    /** The protocol's side: answers input now, or says no and leaves it to the worker. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Called on the I/O thread with the gate held and nothing of the session pending. Returns
         * true when it took the input (and answered it); false leaves the input untouched.
         */
        boolean tryInline(InboundFilter.Inbound input);
    }

    /**
     * The protocol's side of sessionOpened and sessionClosed: handles the event now, or says no
     * and leaves it to the worker. Called on the I/O thread with the gate held and nothing of the
     * session pending.
     */
    public interface Lifecycle {
        /** A greeting that needs neither disk nor wait. */
        default boolean tryOpenInline() {
            return false;
        }

        /** Forgetting a session that leaves nothing half-written behind. */
        default boolean tryCloseInline() {
            return false;
        }
    }

    private static final AttributeKey GATE = new AttributeKey(InlineGate.class, "gate");

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private final Handler handler;
    private final Lifecycle lifecycle;

    private InlineGate(Handler handler, Lifecycle lifecycle) {
        this.handler = handler;
        this.lifecycle = lifecycle;
    }

    /** Installs a gate on the session (in sessionCreated, before any input). */
    public static InlineGate install(IoSession session, Handler handler) {
        return install(session, handler, null);
    }

    /**
     * Installs a gate whose {@code lifecycle} may also handle sessionOpened and sessionClosed on
     * the I/O thread; null leaves both to the worker.
     */
    public static InlineGate install(IoSession session, Handler handler, Lifecycle lifecycle) {
        InlineGate gate = new InlineGate(handler, lifecycle);
        session.setAttribute(GATE, gate);
        return gate;
    }

    /** The gate installed on the session, or null. */
    public static InlineGate of(IoSession session) {
        return (InlineGate) session.getAttribute(GATE);
    }

    /** The I/O thread's attempt; false when the input must go to the worker. */
    boolean tryInline(InboundFilter.Inbound input) {
        // pending is checked again under the lock: a worker that just finished has counted itself out
        return tryInline(() -> handler.tryInline(input));
    }

    /** The I/O thread's attempt at sessionOpened; false when the event must go to the worker. */
    boolean tryOpenInline() {
        return lifecycle != null && tryInline(lifecycle::tryOpenInline);
    }

    /** The I/O thread's attempt at sessionClosed; false when the event must go to the worker. */
    boolean tryCloseInline() {
        return lifecycle != null && tryInline(lifecycle::tryCloseInline);
    }

    private boolean tryInline(java.util.function.BooleanSupplier event) {
        if (pending.get() != 0 || !lock.tryLock()) return false;
        try {
            return pending.get() == 0 && event.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    /** An event is on its way to the worker. */
    void queued() {
        pending.incrementAndGet();
    }

    /** The worker's side: handles one event that the filter counted, holding the gate. */
    public void runOnWorker(Runnable event) {
        lock.lock();
        try {
            event.run();
        } finally {
            pending.decrementAndGet();
            lock.unlock();
        }
    }

    /** Events queued or running on the worker (for tests). */
    int pending() {
        return pending.get();
    }
}
