package org.mailhive.smtp.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.mailhive.net.InboundFilter;
import org.mailhive.net.InlineGate;
import org.mailhive.net.ListenerThreads;
import org.mailhive.net.Sessions;
import org.mailhive.net.TlsSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects MINA sessions to {@link SmtpSession}s. Every event but sessionCreated reaches it
 * through the ordered ExecutorFilter, so it runs on a worker thread and may block on disk; each
 * runs holding the session's {@link InlineGate}, through which the I/O thread answers input that
 * needs neither ({@link SmtpSession#tryInline}).
 */
final class SmtpIoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpIoHandler.class);
    private static final AttributeKey SMTP = new AttributeKey(SmtpIoHandler.class, "smtp");
    private static final AttributeKey CLIENT = new AttributeKey(SmtpIoHandler.class, "client");
    private static final AttributeKey REFUSED = new AttributeKey(SmtpIoHandler.class, "refused");
    /** Fired in order with the input to tell the session a delayed reply is due. */
    static final Object RESUME = new Object() {
        @Override
        public String toString() {
            return "RESUME";
        }
    };

    private final SmtpServices services;
    private final Supplier<ListenerSettings> settings;
    private final ListenerThreads threads;
    /** Open connections per client address on this listener (smtpd_client_connection_count_limit). */
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    SmtpIoHandler(SmtpServices services, Supplier<ListenerSettings> settings, ListenerThreads threads) {
        this.services = services;
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public void sessionCreated(IoSession session) {
        // Runs on the I/O thread before any byte is read: the place to put TLS under an smtps session.
        ListenerSettings s = settings.get();
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, (int) Math.min(Integer.MAX_VALUE,
                s.timeout().toSeconds()));
        InetAddress client = Sessions.remoteAddress(session);
        session.setAttribute(CLIENT, client);
        int open = perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
        if (open > s.policy().connectionCountLimit()) {
            session.setAttribute(REFUSED, Boolean.TRUE);
            return;
        }
        if (s.policy().wrapperMode() && !TlsSupport.wrap(session, services.tls(), s.name())) {
            LOG.error("listener {}: smtpd_tls_wrappermode = yes but no TLS provider is usable; refusing the"
                    + " connection from {}", s.name(), client.getHostAddress());
            session.setAttribute(REFUSED, Boolean.FALSE);
            session.closeNow();
            return;
        }
        SmtpSession smtp = new SmtpSession(services, s, settings, new MinaConnection(session, services, threads));
        session.setAttribute(SMTP, smtp);
        boolean greetInline = !s.policy().wrapperMode();
        InlineGate.install(session, input -> input.deliverInline(smtp::tryInline), new InlineGate.Lifecycle() {
            @Override
            public boolean tryOpenInline() {
                // not under implicit TLS: there the greeting follows the handshake
                if (!greetInline) return false;
                smtp.open();
                return true;
            }

            @Override
            public boolean tryCloseInline() {
                // a message being received is removed from the queue's tmp/: the worker's job
                if (!smtp.closesWithoutDisk()) return false;
                closed(session);
                return true;
            }
        });
    }

    @Override
    public void sessionOpened(IoSession session) {
        onWorker(session, () -> opened(session));
    }

    private void opened(IoSession session) {
        if (Boolean.TRUE.equals(session.getAttribute(REFUSED))) {
            InetAddress client = (InetAddress) session.getAttribute(CLIENT);
            LOG.warn("listener {}: too many connections from {}", settings.get().name(), client.getHostAddress());
            String text = Replies.TOO_MANY_CONNECTIONS.lines().get(0) + " " + client.getHostAddress();
            session.write(IoBuffer.wrap(Replies.TOO_MANY_CONNECTIONS.withText(text).toWire()
                    .getBytes(StandardCharsets.US_ASCII)));
            session.closeOnFlush();
            return;
        }
        SmtpSession smtp = smtp(session);
        if (smtp != null) smtp.open();
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        onWorker(session, () -> received(session, message));
    }

    private void received(IoSession session, Object message) {
        SmtpSession smtp = smtp(session);
        if (message == RESUME) {
            if (smtp != null) smtp.resume();
            if (session.isActive() && (smtp == null || !smtp.paused())) InboundFilter.resumeReading(session);
            return;
        }
        InboundFilter.Inbound in = (InboundFilter.Inbound) message;
        int n = in.buffer().remaining();
        try {
            if (smtp != null) in.deliverTo(smtp::receive);
        } finally {
            InboundFilter.processed(session, n);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        onWorker(session, () -> {
            SmtpSession smtp = smtp(session);
            if (smtp != null) smtp.idle();
        });
    }

    @Override
    public void sessionClosed(IoSession session) {
        onWorker(session, () -> closed(session));
    }

    private void closed(IoSession session) {
        InetAddress client = (InetAddress) session.getAttribute(CLIENT);
        if (client != null) {
            perClient.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        SmtpSession smtp = smtp(session);
        if (smtp != null) smtp.closed();
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        onWorker(session, () -> Sessions.failed(session, cause));
    }

    /** Every event the worker gets runs holding the session's inline gate, which counts it done. */
    private static void onWorker(IoSession session, Runnable event) {
        InlineGate gate = InlineGate.of(session);
        if (gate == null) {
            event.run();
        } else {
            gate.runOnWorker(event);
        }
    }

    /** Open connections from this address now (for tests). */
    int openConnections(InetAddress client) {
        AtomicInteger n = perClient.get(client);
        return n == null ? 0 : n.get();
    }

    private static SmtpSession smtp(IoSession session) {
        return (SmtpSession) session.getAttribute(SMTP);
    }

    /** Replies go out as US-ASCII/UTF-8 text; MINA queues the write without blocking. */
    private static final class MinaConnection implements Connection {
        private final IoSession session;
        private final SmtpServices services;
        private final ListenerThreads threads;

        MinaConnection(IoSession session, SmtpServices services, ListenerThreads threads) {
            this.session = session;
            this.services = services;
            this.threads = threads;
        }

        @Override
        public InetAddress remoteAddress() {
            return Sessions.remoteAddress(session);
        }

        @Override
        public void write(String text) {
            session.write(IoBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            session.closeOnFlush();
        }

        @Override
        public boolean startTls(String plaintext) {
            return TlsSupport.startTls(session, services.tls(), plaintext.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String tlsDescription() {
            return TlsSupport.describe(session);
        }

        @Override
        public void resumeLater(Duration delay) {
            session.suspendRead();
            threads.later(session, delay, () -> {
                if (!session.isClosing()) InboundFilter.fire(session, RESUME);
            });
        }
    }
}
