package org.mailhive.pop3.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.mina.core.service.IoHandler;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/**
 * One listening socket with its own single I/O thread (it only moves bytes; commands and
 * message reads run on the workers) and the filter chain: inbound marking, then the workers.
 */
final class Endpoint {

    private final ExecutorService ioThread;
    private final NioProcessor processor;
    private final NioSocketAcceptor acceptor;

    Endpoint(String name, ExecutorFilter workers, IoHandler handler) {
        ioThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pop3-" + name + "-io");
            t.setDaemon(true);
            return t;
        });
        processor = new NioProcessor(ioThread);
        acceptor = new NioSocketAcceptor(processor);
        acceptor.setReuseAddress(true);
        acceptor.getFilterChain().addLast(InboundFilter.NAME, new InboundFilter());
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

    /** Closes the socket and every connection on it; their maildrops are released undeleted. */
    void close() {
        acceptor.unbind();
        acceptor.dispose(true);
        processor.dispose();
        ioThread.shutdown();
    }
}
