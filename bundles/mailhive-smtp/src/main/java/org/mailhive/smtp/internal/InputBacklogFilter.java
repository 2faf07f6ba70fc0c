package org.mailhive.smtp.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.polling.AbstractPollingIoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Sits before the ExecutorFilter and counts what waits for the worker, so that a client which
 * sends faster than we write to disk cannot fill the heap (see {@link InputBacklog}).
 */
final class InputBacklogFilter extends IoFilterAdapter {

    static final String NAME = "backlog";
    static final AttributeKey BACKLOG = new AttributeKey(InputBacklogFilter.class, "backlog");

    @Override
    public void sessionCreated(NextFilter next, IoSession session) throws Exception {
        session.setAttribute(BACKLOG, new InputBacklog(InputBacklog.HIGH, InputBacklog.LOW,
                new InputBacklog.ReadSwitch() {
                    @Override
                    public void suspend() {
                        session.suspendRead();
                    }

                    @Override
                    public void resume() {
                        resumeReading(session);
                    }
                }));
        next.sessionCreated(session);
    }

    /**
     * Bytes for the worker, marked with whether they came out of TLS. This filter sits after the
     * SslFilter, on the I/O thread: a buffer that reaches it before the handshake is complete
     * cannot have passed TLS, even if STARTTLS has just inserted the SslFilter ahead of it.
     */
    record Inbound(IoBuffer buffer, boolean secured) {
    }

    /** Fired in order with the input to tell the session a delayed reply is due. */
    static final Object RESUME = new Object() {
        @Override
        public String toString() {
            return "RESUME";
        }
    };

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (message instanceof IoBuffer buf) {
            InputBacklog backlog = (InputBacklog) session.getAttribute(BACKLOG);
            if (backlog != null) backlog.received(buf.remaining());
            next.messageReceived(session, new Inbound(buf, session.getAttribute(SslFilter.SSL_SECURED) != null));
            return;
        }
        next.messageReceived(session, message);
    }

    /** Queues {@link #RESUME} behind the input already waiting for the session's worker. */
    static void fireResume(IoSession session) {
        if (session.isClosing()) return;
        session.getFilterChain().getNextFilter(NAME).messageReceived(session, RESUME);
    }

    /**
     * resumeRead() changes the selection key from this worker thread; under load that change
     * was seen to get lost, leaving a connection that never reads again. Asking the session's
     * I/O thread to re-apply the traffic mask (it wakes the selector) makes the resume stick.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void resumeReading(IoSession session) {
        session.resumeRead();
        if (session instanceof AbstractIoSession s && s.getProcessor() instanceof AbstractPollingIoProcessor p) {
            p.updateTrafficMask(s);
        }
    }

    /** The worker's side: called after a buffer has been handled. */
    static void processed(IoSession session, int n) {
        InputBacklog backlog = (InputBacklog) session.getAttribute(BACKLOG);
        if (backlog != null) backlog.processed(n);
    }
}
