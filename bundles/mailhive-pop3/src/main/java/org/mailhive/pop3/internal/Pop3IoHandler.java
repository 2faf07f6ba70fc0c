package org.mailhive.pop3.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
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
 * Connects MINA sessions to {@link Pop3Session}s. Every event but sessionCreated reaches it
 * through the ordered ExecutorFilter, so it runs on a worker thread and may read the disk.
 */
final class Pop3IoHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3IoHandler.class);
    private static final AttributeKey POP3 = new AttributeKey(Pop3IoHandler.class, "pop3");

    /** Session events that travel the chain like input (see {@link InboundFilter#fire}). */
    enum Wakeup { RESUME, DRAINED, PREFETCH }

    private final Pop3Services services;
    private final Supplier<ListenerSettings> settings;
    private final ListenerThreads threads;

    Pop3IoHandler(Pop3Services services, Supplier<ListenerSettings> settings, ListenerThreads threads) {
        this.services = services;
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public void sessionCreated(IoSession session) {
        // On the I/O thread before any byte is read: the place to put TLS under a POP3S session.
        ListenerSettings s = settings.get();
        session.getConfig().setIdleTime(IdleStatus.BOTH_IDLE, (int) Math.min(Integer.MAX_VALUE,
                Math.max(1, s.timeout().toSeconds())));
        if (s.ssl() && !TlsSupport.wrap(session, services.tls(), s.name())) {
            LOG.error("listener {}: ssl = yes but no TLS provider is usable; refusing the connection from {}",
                    s.name(), session.getRemoteAddress());
            session.closeNow();
            return;
        }
        Pop3Session pop3 = new Pop3Session(services, s, new MinaConnection(session, services, threads));
        session.setAttribute(POP3, pop3);
        InlineGate.install(session, input -> input.deliverInline(pop3::tryInline));
    }

    @Override
    public void sessionOpened(IoSession session) {
        onWorker(session, Pop3Session::open);
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        onWorker(session, pop3 -> {
            if (message instanceof Wakeup w) {
                switch (w) {
                    case RESUME -> pop3.resume();
                    case DRAINED -> pop3.drained();
                    case PREFETCH -> pop3.prefetch();
                }
                return;
            }
            ((InboundFilter.Inbound) message).deliverTo(pop3::receive);
        });
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        onWorker(session, Pop3Session::idle);
    }

    @Override
    public void sessionClosed(IoSession session) {
        onWorker(session, Pop3Session::closed);
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        onWorker(session, pop3 -> Sessions.failed(session, cause));
    }

    /** Every event the worker gets runs holding the session's inline gate, which counts it done. */
    private static void onWorker(IoSession session, java.util.function.Consumer<Pop3Session> event) {
        Pop3Session pop3 = pop3(session);
        InlineGate gate = InlineGate.of(session);
        Runnable run = () -> {
            if (pop3 != null) event.accept(pop3);
        };
        if (gate == null) {
            run.run();
        } else {
            gate.runOnWorker(run);
        }
    }

    private static Pop3Session pop3(IoSession session) {
        return (Pop3Session) session.getAttribute(POP3);
    }

    private static final class MinaConnection implements Connection {
        private final IoSession session;
        private final Pop3Services services;
        private final ListenerThreads threads;
        private WriteFuture lastWrite;

        MinaConnection(IoSession session, Pop3Services services, ListenerThreads threads) {
            this.session = session;
            this.services = services;
            this.threads = threads;
        }

        @Override
        public InetAddress remoteAddress() {
            return Sessions.remoteAddress(session);
        }

        @Override
        public InetAddress localAddress() {
            return Sessions.localAddress(session);
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
                InboundFilter.fire(session, Wakeup.DRAINED);
            } else {
                f.addListener(done -> InboundFilter.fire(session, Wakeup.DRAINED));
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
            return TlsSupport.startTls(session, services.tls(), plaintext);
        }

        @Override
        public String tlsDescription() {
            return TlsSupport.describe(session);
        }

        @Override
        public void prefetchLater() {
            InboundFilter.fire(session, Wakeup.PREFETCH);
        }

        @Override
        public void resumeLater(Duration delay) {
            threads.later(session, delay, () -> InboundFilter.fire(session, Wakeup.RESUME));
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
