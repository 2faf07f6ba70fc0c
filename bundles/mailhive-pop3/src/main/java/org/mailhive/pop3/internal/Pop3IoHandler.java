package org.mailhive.pop3.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
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
 * Connects MINA sessions to {@link Pop3Session}s. Every event but sessionCreated reaches it
 * through the ordered ExecutorFilter, so it runs on a worker thread and may read the disk.
 */
final class Pop3IoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3IoHandler.class);
    private static final AttributeKey POP3 = new AttributeKey(Pop3IoHandler.class, "pop3");
    static final String SSL = "ssl";

    private final Pop3Services services;
    private final Supplier<ListenerSettings> settings;
    private final ScheduledExecutorService scheduler;

    Pop3IoHandler(Pop3Services services, Supplier<ListenerSettings> settings, ScheduledExecutorService scheduler) {
        this.services = services;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    @Override
    public void sessionCreated(IoSession session) {
        // On the I/O thread before any byte is read: the place to put TLS under a POP3S session.
        ListenerSettings s = settings.get();
        session.getConfig().setIdleTime(IdleStatus.BOTH_IDLE, (int) Math.min(Integer.MAX_VALUE,
                Math.max(1, s.timeout().toSeconds())));
        if (s.ssl()) {
            TlsContextProvider tls = services.tls();
            SslFilter filter = tls == null ? null : sslFilter(tls, s.name());
            if (filter == null) {
                LOG.error("listener {}: ssl = yes but no TLS provider is usable; refusing the connection from {}",
                        s.name(), session.getRemoteAddress());
                session.closeNow();
                return;
            }
            session.getFilterChain().addFirst(SSL, filter);
        }
        session.setAttribute(POP3, new Pop3Session(services, s, new MinaConnection(session, services, scheduler)));
    }

    /** The TLS filter for one connection, with the provider's protocols and cipher suites. */
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
        Pop3Session pop3 = pop3(session);
        if (pop3 != null) pop3.open();
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        Pop3Session pop3 = pop3(session);
        if (pop3 == null) return;
        if (message instanceof InboundFilter.Wakeup w) {
            if (w == InboundFilter.Wakeup.RESUME) {
                pop3.resume();
            } else {
                pop3.drained();
            }
            return;
        }
        InboundFilter.Inbound in = (InboundFilter.Inbound) message;
        IoBuffer buf = in.buffer();
        int n = buf.remaining();
        if (buf.hasArray()) {
            pop3.receive(buf.array(), buf.arrayOffset() + buf.position(), n, in.secured());
        } else {
            byte[] copy = new byte[n];
            buf.get(copy);
            pop3.receive(copy, 0, n, in.secured());
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        Pop3Session pop3 = pop3(session);
        if (pop3 != null) pop3.idle();
    }

    @Override
    public void sessionClosed(IoSession session) {
        Pop3Session pop3 = pop3(session);
        if (pop3 != null) pop3.closed();
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

    private static Pop3Session pop3(IoSession session) {
        return (Pop3Session) session.getAttribute(POP3);
    }

    /** A write that the SslFilter lets through unencrypted: the +OK to STLS. */
    private static final class PlainWrite extends DefaultWriteRequest implements DisableEncryptWriteRequest {
        PlainWrite(IoBuffer message) {
            super(message);
        }
    }

    private static final class MinaConnection implements Connection {
        private final IoSession session;
        private final Pop3Services services;
        private final ScheduledExecutorService scheduler;
        private WriteFuture lastWrite;

        MinaConnection(IoSession session, Pop3Services services, ScheduledExecutorService scheduler) {
            this.session = session;
            this.services = services;
            this.scheduler = scheduler;
        }

        @Override
        public InetAddress remoteAddress() {
            return ((InetSocketAddress) session.getRemoteAddress()).getAddress();
        }

        @Override
        public InetAddress localAddress() {
            return ((InetSocketAddress) session.getLocalAddress()).getAddress();
        }

        @Override
        public void write(byte[] bytes, int length) {
            lastWrite = session.write(IoBuffer.wrap(bytes, 0, length));
        }

        @Override
        public long pendingBytes() {
            return session.getScheduledWriteBytes();
        }

        @Override
        public void notifyWhenDrained() {
            WriteFuture f = lastWrite;
            if (f == null) {
                InboundFilter.fire(session, InboundFilter.Wakeup.DRAINED);
            } else {
                f.addListener(done -> InboundFilter.fire(session, InboundFilter.Wakeup.DRAINED));
            }
        }

        @Override
        public void close() {
            session.closeOnFlush();
        }

        @Override
        public void abort() {
            session.closeNow();
        }

        @Override
        public boolean startTls(byte[] plaintext) {
            TlsContextProvider tls = services.tls();
            if (tls == null) return false;
            SslFilter filter = sslFilter(tls, String.valueOf(session.getLocalAddress()));
            if (filter == null) return false;
            // In first, so the client's handshake (sent once it has read the +OK) cannot slip past
            // it; the +OK itself is marked to pass unencrypted.
            session.getFilterChain().addFirst(SSL, filter);
            session.getFilterChain().fireFilterWrite(new PlainWrite(IoBuffer.wrap(plaintext)));
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
            try {
                scheduler.schedule(() -> InboundFilter.fire(session, InboundFilter.Wakeup.RESUME), delay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the listener is shutting down: the connection goes with it
                session.closeNow();
            }
        }

        @Override
        public void readSuspended(boolean suspended) {
            if (suspended) {
                session.suspendRead();
            } else {
                InboundFilter.resumeReading(session);
            }
        }
    }
}
