package org.mailhive.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.mina.core.service.IoHandler;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket: acceptor, its I/O thread and filter chain (inbound filter, then the
 * workers). The I/O processor is ours, not MINA's pool, so that a read resume can be handed to
 * the session's I/O thread (see {@link InboundFilter#resumeReading}). One I/O thread per listener
 * is enough: it only moves bytes, all protocol work runs on the workers.
 */
public final class Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
    /** What one read takes at least: a typical message or a burst of pipelined commands. */
    static final int MIN_READ_BUFFER = 8192;

    private final ExecutorService ioThread;
    private final NioProcessor processor;
    private final NioSocketAcceptor acceptor;

    /**
     * @param threadPrefix names the I/O thread ({@code prefix-io}), e.g. "smtpd-mta"
     * @param workers shared by the endpoints of one listener across rebinds
     */
    public Endpoint(String threadPrefix, InboundFilter inbound, ExecutorFilter workers, IoHandler handler) {
        ioThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadPrefix + "-io");
            t.setDaemon(true);
            return t;
        });
        processor = new NioProcessor(ioThread);
        acceptor = new NioSocketAcceptor(processor);
        acceptor.setReuseAddress(true);
        // MINA halves a session's read buffer after short reads, down to 64 bytes: after a few
        // commands a small message then arrived in several reads, each a hand-off to a worker
        acceptor.getSessionConfig().setMinReadBufferSize(MIN_READ_BUFFER);
        acceptor.getSessionConfig().setReadBufferSize(MIN_READ_BUFFER);
        acceptor.getFilterChain().addLast(InboundFilter.NAME, inbound);
        acceptor.getFilterChain().addLast("executor", workers);
        acceptor.setHandler(handler);
    }

    public void bind(InetSocketAddress address) throws IOException {
        acceptor.bind(address);
    }

    public void unbind() {
        acceptor.unbind();
    }

    /** The bound address (the real port when bound to port 0), or null. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) acceptor.getLocalAddress();
    }

    public boolean listensOnPort(int port) {
        InetSocketAddress a = localAddress();
        return a != null && a.getPort() == port;
    }

    /** Connections on this socket whose reading is suspended now. */
    public long readSuspendedSessions() {
        return acceptor.getManagedSessions().values().stream().filter(s -> s.isReadSuspended()).count();
    }

    /**
     * Binds this (fresh) endpoint to {@code address} in place of {@code old}, which keeps serving
     * if that fails. When {@code old} holds the very port (only the bind address changed) it is
     * unbound for the attempt and bound again to its previous address on failure. On success
     * {@code old} is closed with its connections; on failure this endpoint is closed. Failures
     * are logged naming {@code source} (the configuration) and the listener.
     *
     * @param old the endpoint serving now, or null
     * @return true when this endpoint now listens on {@code address}
     */
    public boolean bindReplacing(Endpoint old, InetSocketAddress address, String source, String listener) {
        try {
            bind(address);
        } catch (IOException | RuntimeException first) {
            if (old == null || !old.listensOnPort(address.getPort())) return bindFailed(old, address, source, listener, first);
            InetSocketAddress previous = old.localAddress();
            old.unbind();
            try {
                bind(address);
            } catch (IOException | RuntimeException second) {
                try {
                    old.bind(previous);
                } catch (IOException | RuntimeException third) {
                    LOG.error("{}: listener {} cannot listen on its previous address {} either: {}", source,
                            listener, previous, third.toString());
                }
                return bindFailed(old, address, source, listener, second);
            }
        }
        if (old != null) old.close();
        return true;
    }

    private boolean bindFailed(Endpoint old, InetSocketAddress address, String source, String listener, Exception e) {
        close();
        LOG.error("{}: port/bind: listener {} cannot listen on {}:{}: {}{}", source, listener,
                address.getHostString(), address.getPort(), e.getMessage() == null ? e.toString() : e.getMessage(),
                old == null ? "" : "; keeping " + old.localAddress());
        return false;
    }

    /** Closes the socket and every connection on it. */
    public void close() {
        acceptor.unbind();
        acceptor.dispose(true);
        processor.dispose();
        ioThread.shutdown();
    }
}
