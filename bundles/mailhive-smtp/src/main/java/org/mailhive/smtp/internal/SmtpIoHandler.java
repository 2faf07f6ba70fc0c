package org.mailhive.smtp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects MINA sessions to {@link SmtpSession}s. Every event but sessionCreated reaches it
 * through the ordered ExecutorFilter, so it runs on a worker thread and may block on disk.
 */
final class SmtpIoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpIoHandler.class);
    private static final AttributeKey SMTP = new AttributeKey(SmtpIoHandler.class, "smtp");

    private final SmtpServices services;
    private final Supplier<ListenerSettings> settings;

    SmtpIoHandler(SmtpServices services, Supplier<ListenerSettings> settings) {
        this.services = services;
        this.settings = settings;
    }

    @Override
    public void sessionCreated(IoSession session) {
        // Settings are a snapshot per connection: a changed .cfg applies to new sessions.
        ListenerSettings s = settings.get();
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, (int) Math.min(Integer.MAX_VALUE,
                s.timeout().toSeconds()));
        session.setAttribute(SMTP, new SmtpSession(services, s, new MinaConnection(session)));
    }

    @Override
    public void sessionOpened(IoSession session) {
        SmtpSession smtp = smtp(session);
        if (smtp != null) smtp.open();
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        IoBuffer buf = (IoBuffer) message;
        int n = buf.remaining();
        try {
            SmtpSession smtp = smtp(session);
            if (smtp == null) return;
            if (buf.hasArray()) {
                smtp.receive(buf.array(), buf.arrayOffset() + buf.position(), n);
            } else {
                byte[] copy = new byte[n];
                buf.get(copy);
                smtp.receive(copy, 0, n);
            }
        } finally {
            InputBacklogFilter.processed(session, n);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        SmtpSession smtp = smtp(session);
        if (smtp != null) smtp.idle();
    }

    @Override
    public void sessionClosed(IoSession session) {
        SmtpSession smtp = smtp(session);
        if (smtp != null) smtp.closed();
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection {}: {}", session.getRemoteAddress(), cause.toString());
        } else {
            LOG.error("connection {}: unexpected error, closing", session.getRemoteAddress(), cause);
        }
        session.closeNow();
    }

    private static SmtpSession smtp(IoSession session) {
        return (SmtpSession) session.getAttribute(SMTP);
    }

    /** Replies go out as US-ASCII/UTF-8 text; MINA queues the write without blocking. */
    private record MinaConnection(IoSession session) implements Connection {

        @Override
        public InetAddress remoteAddress() {
            return ((InetSocketAddress) session.getRemoteAddress()).getAddress();
        }

        @Override
        public void write(String text) {
            session.write(IoBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            session.closeOnFlush();
        }
    }
}
