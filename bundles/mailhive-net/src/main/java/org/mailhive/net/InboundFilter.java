package org.mailhive.net;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.polling.AbstractPollingIoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Sits on the I/O thread between the SslFilter (when there is one) and the ExecutorFilter. It
 * marks each buffer with whether it came out of TLS, optionally counts what waits for the worker
 * (see {@link InputBacklog}), and is the entry point for the session's own events (a delayed
 * reply is due, the output drained), which thus reach the handler on the session's worker in
 * order with its input.
 */
public final class InboundFilter extends IoFilterAdapter {

    /** The filter's name in the chain; {@link Endpoint} adds it under this name. */
    public static final String NAME = "inbound";
    private static final AttributeKey BACKLOG = new AttributeKey(InboundFilter.class, "backlog");

    private final boolean counting;
    private final long high;
    private final long low;

    private InboundFilter(boolean counting, long high, long low) {
        this.counting = counting;
        this.high = high;
        this.low = low;
    }

    /**
     * A filter that only marks input; for protocols that switch reading themselves (a session
     * suspending reads while its output drains would fight a backlog over the same switch).
     */
    public static InboundFilter marking() {
        return new InboundFilter(false, 0, 0);
    }

    /** A filter that also suspends reading while more than {@code high} bytes wait for the worker. */
    public static InboundFilter withBacklog(long high, long low) {
        if (low > high) throw new IllegalArgumentException("low " + low + " above high " + high);
        return new InboundFilter(true, high, low);
    }

    /** Whether this filter counts input (it was made by {@link #withBacklog}). */
    public boolean counting() {
        return counting;
    }

    /**
     * Bytes for the worker. {@code secured} is decided here, on the I/O thread after the
     * SslFilter: a buffer that reaches this filter before the handshake is complete cannot have
     * passed TLS, even if STARTTLS has just inserted the SslFilter ahead of it.
     */
    public record Inbound(IoBuffer buffer, boolean secured) {

        /** Where the bytes of one {@link Inbound} go. */
        public interface Receiver {
            void receive(byte[] bytes, int offset, int length, boolean secured);
        }

        /** Where the bytes of one {@link Inbound} may be taken on the I/O thread ({@link InlineGate}). */
        public interface InlineReceiver {
            /** True when the bytes were taken; false leaves them for the worker. */
            boolean tryReceive(byte[] bytes, int offset, int length, boolean secured);
        }

        /** Offers the remaining bytes to {@code receiver}; the buffer is unchanged either way. */
        public boolean deliverInline(InlineReceiver receiver) {
            int n = buffer.remaining();
            if (buffer.hasArray()) {
                return receiver.tryReceive(buffer.array(), buffer.arrayOffset() + buffer.position(), n, secured);
            }
            byte[] copy = new byte[n];
            buffer.duplicate().get(copy);
            return receiver.tryReceive(copy, 0, n, secured);
        }

        /** Hands the remaining bytes to {@code receiver} without copying when the buffer has an array. */
        public void deliverTo(Receiver receiver) {
            int n = buffer.remaining();
            if (buffer.hasArray()) {
                receiver.receive(buffer.array(), buffer.arrayOffset() + buffer.position(), n, secured);
            } else {
                byte[] copy = new byte[n];
                buffer.get(copy);
                receiver.receive(copy, 0, n, secured);
            }
        }
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession session) throws Exception {
        if (counting) {
            session.setAttribute(BACKLOG, new InputBacklog(high, low, new InputBacklog.ReadSwitch() {
                @Override
                public void suspend() {
                    session.suspendRead();
                }

                @Override
                public void resume() {
                    resumeReading(session);
                }
            }));
        }
        next.sessionCreated(session);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        InlineGate gate = InlineGate.of(session);
        if (message instanceof IoBuffer buf) {
            Inbound input = new Inbound(buf, session.getAttribute(SslFilter.SSL_SECURED) != null);
            if (gate != null && gate.tryInline(input)) return;
            InputBacklog backlog = (InputBacklog) session.getAttribute(BACKLOG);
            if (backlog != null) backlog.received(buf.remaining());
            if (gate != null) gate.queued();
            next.messageReceived(session, input);
            return;
        }
        if (gate != null) gate.queued();
        next.messageReceived(session, message);
    }

    // the other events the worker handles count too: while one waits, input must not overtake it

    @Override
    public void sessionOpened(NextFilter next, IoSession session) throws Exception {
        if (!takenInline(session, InlineGate::tryOpenInline)) next.sessionOpened(session);
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) throws Exception {
        countFor(session);
        next.sessionIdle(session, status);
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) throws Exception {
        if (!takenInline(session, InlineGate::tryCloseInline)) next.sessionClosed(session);
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) throws Exception {
        countFor(session);
        next.exceptionCaught(session, cause);
    }

    /**
     * True when the gate's protocol handled the event on the I/O thread (the executor and the
     * handler behind it never see it); otherwise it is counted as on its way to the worker.
     */
    private static boolean takenInline(IoSession session, java.util.function.Predicate<InlineGate> attempt) {
        InlineGate gate = InlineGate.of(session);
        if (gate == null) return false;
        if (attempt.test(gate)) return true;
        gate.queued();
        return false;
    }

    private static void countFor(IoSession session) {
        InlineGate gate = InlineGate.of(session);
        if (gate != null) gate.queued();
    }

    /**
     * Queues {@code event} behind the input already waiting for the session's worker; the handler
     * receives it as a message. The session's chain must contain this filter.
     */
    public static void fire(IoSession session, Object event) {
        countFor(session);
        session.getFilterChain().getNextFilter(NAME).messageReceived(session, event);
    }

    /**
     * The worker's side of the backlog: called after it has handled {@code n} bytes of an
     * {@link Inbound}. Does nothing on a session without a backlog.
     */
    public static void processed(IoSession session, int n) {
        InputBacklog backlog = (InputBacklog) session.getAttribute(BACKLOG);
        if (backlog != null) backlog.processed(n);
    }

    /**
     * Resumes reading from any thread. resumeRead() from a worker changes the selection key
     * outside the I/O thread; under load that change was seen to get lost, leaving a connection
     * that never reads again. Asking the session's I/O processor to re-apply the traffic mask (it
     * wakes the selector) makes the resume stick.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void resumeReading(IoSession session) {
        session.resumeRead();
        if (session instanceof AbstractIoSession s && s.getProcessor() instanceof AbstractPollingIoProcessor p) {
            p.updateTrafficMask(s);
        }
    }
}
