package org.mailhive.pop3.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.polling.AbstractPollingIoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * Sits on the I/O thread between the SslFilter (when there is one) and the ExecutorFilter. It
 * marks each buffer with whether it came out of TLS, and is the entry point for the session's
 * own events (a delayed reply is due, the output drained), which thus run on the session's
 * worker in order with its input.
 */
final class InboundFilter extends IoFilterAdapter {

    static final String NAME = "inbound";

    /** Bytes for the worker; {@code secured} is decided here, before the worker sees them. */
    record Inbound(IoBuffer buffer, boolean secured) {
    }

    /** Session events that travel the chain like input. */
    enum Wakeup { RESUME, DRAINED }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (message instanceof IoBuffer buf) {
            next.messageReceived(session, new Inbound(buf, session.getAttribute(SslFilter.SSL_SECURED) != null));
            return;
        }
        next.messageReceived(session, message);
    }

    /** Queues an event behind the input already waiting for the session's worker. */
    static void fire(IoSession session, Wakeup wakeup) {
        session.getFilterChain().getNextFilter(NAME).messageReceived(session, wakeup);
    }

    /**
     * resumeRead() from a worker thread changes the selection key outside the I/O thread; under
     * load that change can get lost and the connection never reads again. Asking the session's
     * I/O processor to re-apply the traffic mask (it wakes the selector) makes the resume stick.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void resumeReading(IoSession session) {
        session.resumeRead();
        if (session instanceof AbstractIoSession s && s.getProcessor() instanceof AbstractPollingIoProcessor p) {
            p.updateTrafficMask(s);
        }
    }
}
