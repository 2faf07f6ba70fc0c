package org.mailhive.smtp.client.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * The MINA connector all outgoing sessions share. Its handler runs on MINA's I/O threads and only
 * moves what arrives into the session's {@link Inbox}; the delivering thread waits there with
 * the timeout of the phase it is in.
 */
final class ClientTransport {

    private final NioSocketConnector connector;

    ClientTransport() {
        connector = new NioSocketConnector();
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.setHandler(new Handler());
    }

    SmtpConnection connect(Router.Target target, Duration timeout) throws IOException {
        Inbox inbox = new Inbox();
        // the initializer runs before the session can receive: the greeting always finds its inbox
        ConnectFuture future = connector.connect(new InetSocketAddress(target.address(), target.port()),
                (session, f) -> session.setAttribute(Inbox.KEY, inbox));
        boolean done;
        try {
            done = future.await(SmtpConnection.millis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(future);
            throw new InterruptedIOException("interrupted while connecting");
        }
        if (!done) {
            abandon(future);
            throw new SocketTimeoutException("Connection timed out");
        }
        if (!future.isConnected()) {
            Throwable cause = future.getException();
            if (cause instanceof IOException io) throw io;
            throw new IOException(cause == null ? "connection failed" : cause.getMessage(), cause);
        }
        return new SmtpConnection(target, future.getSession(), inbox);
    }

    /** A connect that completes after we gave up must not leave a session open. */
    private static void abandon(ConnectFuture future) {
        future.cancel();
        future.addListener(f -> {
            ConnectFuture cf = (ConnectFuture) f;
            if (cf.isConnected()) cf.getSession().closeNow();
        });
    }

    void close() {
        connector.dispose(false);
    }

    private static final class Handler extends IoHandlerAdapter {

        private static Inbox inbox(IoSession session) {
            return (Inbox) session.getAttribute(Inbox.KEY);
        }

        @Override
        public void messageReceived(IoSession session, Object message) {
            Inbox inbox = inbox(session);
            if (inbox != null && message instanceof IoBuffer buffer) inbox.received(buffer);
        }

        @Override
        public void sessionClosed(IoSession session) {
            Inbox inbox = inbox(session);
            if (inbox != null) inbox.closed();
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            Inbox inbox = inbox(session);
            if (inbox != null) inbox.failed(cause);
            session.closeNow();
        }

        @Override
        public void event(IoSession session, FilterEvent event) {
            Inbox inbox = inbox(session);
            if (inbox != null && event == SslEvent.SECURED) inbox.secured();
        }
    }
}
