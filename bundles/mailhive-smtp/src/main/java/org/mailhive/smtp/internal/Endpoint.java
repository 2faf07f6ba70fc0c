package org.mailhive.smtp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.mina.core.service.IoHandler;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * One listening socket: acceptor, its I/O thread and filter chain. The I/O processor is ours
 * (not MINA's pool) so that {@link InputBacklogFilter} can hand a read resume to the I/O thread.
 * One I/O thread per listener is enough: it only moves bytes, all SMTP work runs on the workers.
 */
final class Endpoint {

    private final ExecutorService ioThread;
    private final NioProcessor processor;
    private final NioSocketAcceptor acceptor;

    Endpoint(String name, ExecutorFilter workers, IoHandler handler) {
        ioThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "smtpd-" + name + "-io");
            t.setDaemon(true);
            return t;
        });
        processor = new NioProcessor(ioThread);
        acceptor = new NioSocketAcceptor(processor);
        acceptor.setReuseAddress(true);
        acceptor.getFilterChain().addLast(InputBacklogFilter.NAME, new InputBacklogFilter());
        acceptor.getFilterChain().addLast("executor", workers);
        acceptor.setHandler(handler);
    }

    void bind(InetSocketAddress address) throws IOException {
        acceptor.bind(address);
    }

    void unbind() {
        acceptor.unbind();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) acceptor.getLocalAddress();
    }

    boolean listensOnPort(int port) {
        InetSocketAddress a = localAddress();
        return a != null && a.getPort() == port;
    }

    long readSuspendedSessions() {
        return acceptor.getManagedSessions().values().stream().filter(s -> s.isReadSuspended()).count();
    }

    /** Closes the socket and every connection on it; drafts of open transactions are aborted. */
    void close() {
        acceptor.unbind();
        acceptor.dispose(true);
        processor.dispose();
        ioThread.shutdown();
    }
}
