package org.mailhive.smtp.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.polling.AbstractPollingIoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Sits before the ExecutorFilter and counts what waits for the worker, so that a client which
 * sends faster than we write to disk cannot fill the heap (see {@link InputBacklog}).
 */
final class InputBacklogFilter extends IoFilterAdapter {

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

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (message instanceof IoBuffer buf) {
            InputBacklog backlog = (InputBacklog) session.getAttribute(BACKLOG);
            if (backlog != null) backlog.received(buf.remaining());
        }
        next.messageReceived(session, message);
    }

    /**
     * resumeRead() changes the selection key from this worker thread; under load that change
     * was seen to get lost, leaving a connection that never reads again. Asking the session's
     * I/O thread to re-apply the traffic mask (it wakes the selector) makes the resume stick.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void resumeReading(IoSession session) {
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
