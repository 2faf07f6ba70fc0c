package org.mailhive.smtp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.filter.ssl.DisableEncryptWriteRequest;
import org.apache.mina.filter.ssl.SslFilter;
import org.mailhive.api.tls.TlsContextProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects MINA sessions to {@link SmtpSession}s. Every event but sessionCreated reaches it
 * through the ordered ExecutorFilter, so it runs on a worker thread and may block on disk.
 */
final class SmtpIoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpIoHandler.class);
    private static final AttributeKey SMTP = new AttributeKey(SmtpIoHandler.class, "smtp");
    private static final AttributeKey CLIENT = new AttributeKey(SmtpIoHandler.class, "client");
    private static final AttributeKey REFUSED = new AttributeKey(SmtpIoHandler.class, "refused");
    static final String SSL = "ssl";

    private final SmtpServices services;
    private final Supplier<ListenerSettings> settings;
    private final ScheduledExecutorService scheduler;
    /** Open connections per client address on this listener (smtpd_client_connection_count_limit). */
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    SmtpIoHandler(SmtpServices services, Supplier<ListenerSettings> settings, ScheduledExecutorService scheduler) {
        this.services = services;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    @Override
    public void sessionCreated(IoSession session) {
        // Runs on the I/O thread before any byte is read: the place to put TLS under an smtps session.
        ListenerSettings s = settings.get();
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, (int) Math.min(Integer.MAX_VALUE,
                s.timeout().toSeconds()));
        InetAddress client = ((InetSocketAddress) session.getRemoteAddress()).getAddress();
        session.setAttribute(CLIENT, client);
        int open = perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
        if (open > s.policy().connectionCountLimit()) {
            session.setAttribute(REFUSED, Boolean.TRUE);
            return;
        }
        if (s.policy().wrapperMode()) {
            TlsContextProvider tls = services.tls();
            SslFilter filter = tls == null ? null : sslFilter(tls, s.name());
            if (filter == null) {
                LOG.error("listener {}: smtpd_tls_wrappermode = yes but no TLS provider is usable; refusing the"
                        + " connection from {}", s.name(), client.getHostAddress());
                session.setAttribute(REFUSED, Boolean.FALSE);
                session.closeNow();
                return;
            }
            session.getFilterChain().addFirst(SSL, filter);
        }
        session.setAttribute(SMTP, new SmtpSession(services, s, settings, new MinaConnection(session, services,
                scheduler)));
    }

    /** The TLS filter for one connection: server mode, protocols and ciphers from the provider. */
    static SslFilter sslFilter(TlsContextProvider tls, String listener) {
        try {
            SslFilter filter = new SslFilter(tls.serverContext());
            List<String> protocols = tls.enabledProtocols();
            if (protocols != null && !protocols.isEmpty()) filter.setEnabledProtocols(protocols.toArray(String[]::new));
            List<String> ciphers = tls.enabledCipherSuites();
            if (ciphers != null && !ciphers.isEmpty()) filter.setEnabledCipherSuites(ciphers.toArray(String[]::new));
            return filter;
        } catch (RuntimeException e) {
            LOG.error("listener {}: the TLS provider gave no usable server context", listener, e);
            return null;
        }
    }

    @Override
    public void sessionOpened(IoSession session) {
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
        SmtpSession smtp = smtp(session);
        if (message == InputBacklogFilter.RESUME) {
            if (smtp != null) smtp.resume();
            if (session.isActive() && (smtp == null || !smtp.paused())) InputBacklogFilter.resumeReading(session);
            return;
        }
        InputBacklogFilter.Inbound in = (InputBacklogFilter.Inbound) message;
        IoBuffer buf = in.buffer();
        int n = buf.remaining();
        try {
            if (smtp == null) return;
            if (buf.hasArray()) {
                smtp.receive(buf.array(), buf.arrayOffset() + buf.position(), n, in.secured());
            } else {
                byte[] copy = new byte[n];
                buf.get(copy);
                smtp.receive(copy, 0, n, in.secured());
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
        InetAddress client = (InetAddress) session.getAttribute(CLIENT);
        if (client != null) {
            perClient.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
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

    /** Open connections from this address now (for tests). */
    int openConnections(InetAddress client) {
        AtomicInteger n = perClient.get(client);
        return n == null ? 0 : n.get();
    }

    private static SmtpSession smtp(IoSession session) {
        return (SmtpSession) session.getAttribute(SMTP);
    }

    /** A write that the SslFilter lets through unencrypted: the 220 reply to STARTTLS. */
    private static final class PlainWrite extends DefaultWriteRequest implements DisableEncryptWriteRequest {
        PlainWrite(IoBuffer message) {
            super(message);
        }
    }

    /** Replies go out as US-ASCII/UTF-8 text; MINA queues the write without blocking. */
    private static final class MinaConnection implements Connection {
        private final IoSession session;
        private final SmtpServices services;
        private final ScheduledExecutorService scheduler;

        MinaConnection(IoSession session, SmtpServices services, ScheduledExecutorService scheduler) {
            this.session = session;
            this.services = services;
            this.scheduler = scheduler;
        }

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

        @Override
        public boolean startTls(String plaintext) {
            TlsContextProvider tls = services.tls();
            if (tls == null) return false;
            SslFilter filter = sslFilter(tls, String.valueOf(session.getLocalAddress()));
            if (filter == null) return false;
            // The filter goes in first, so the client's handshake (sent once it has read the 220)
            // cannot slip past it; the 220 itself is marked to pass unencrypted.
            session.getFilterChain().addFirst(SSL, filter);
            session.getFilterChain().fireFilterWrite(new PlainWrite(IoBuffer.wrap(
                    plaintext.getBytes(StandardCharsets.UTF_8))));
            return true;
        }

        @Override
        public String tlsDescription() {
            Object secured = session.getAttribute(SslFilter.SSL_SECURED);
            if (!(secured instanceof SSLSession ssl)) return null;
            return ssl.getProtocol() + " with cipher " + ssl.getCipherSuite();
        }

        @Override
        public void resumeLater(Duration delay) {
            session.suspendRead();
            try {
                scheduler.schedule(() -> InputBacklogFilter.fireResume(session), delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the listener is shutting down: the connection goes with it
                session.closeNow();
            }
        }
    }
}
