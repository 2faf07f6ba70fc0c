package org.mailhive.smtp.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * One SMTP client session over MINA, used by one delivering thread at a time: commands are
 * queued and written together on {@link #flush} (so a pipelined batch is one write), replies are
 * taken from the {@link Inbox} with the phase's timeout, and every write waits for its future
 * with a timeout too. A timeout closes the session: a late reply must never be read as the
 * answer to the next command.
 */
final class SmtpConnection {

    /** Most lines in one reply, so a hostile server cannot make us collect forever. */
    static final int MAX_LINES = 1000;
    /** Body bytes per write; one chunk is in flight while the next is filled. */
    static final int BODY_CHUNK = 64 * 1024;

    private final Router.Target target;
    private final IoSession session;
    private final Inbox inbox;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
    private Capabilities capabilities = Capabilities.NONE;
    private String tlsInfo;

    SmtpConnection(Router.Target target, IoSession session, Inbox inbox) {
        this.target = target;
        this.session = session;
        this.inbox = inbox;
    }

    /** {@code mx.example.org[192.0.2.1]}, as Postfix names a peer in reasons. */
    String peer() {
        return target.host() + "[" + target.address().getHostAddress() + "]";
    }

    /** {@code mx.example.org[192.0.2.1]:25}: the relay of a result. */
    String relay() {
        return peer() + ":" + target.port();
    }

    Capabilities capabilities() {
        return capabilities;
    }

    void capabilities(Capabilities caps) {
        this.capabilities = caps;
    }

    /** Protocol and cipher once STARTTLS succeeded, else null. */
    String tlsInfo() {
        return tlsInfo;
    }

    /** Queues a command line; {@link #flush} sends what is queued. */
    void send(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        pending.write(bytes, 0, bytes.length);
        pending.write('\r');
        pending.write('\n');
    }

    void flush(Duration timeout) throws IOException {
        if (pending.size() == 0) return;
        byte[] bytes = pending.toByteArray();
        pending.reset();
        await(session.write(IoBuffer.wrap(bytes)), timeout);
    }

    /** The stream for the message body; each chunk's write must finish within {@code timeout}. */
    OutputStream body(Duration timeout) {
        return new BodyOutput(timeout);
    }

    Reply read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = new ArrayList<>();
        boolean[] last = {false};
        int code = -1;
        while (true) {
            String line = nextLine(deadline);
            int c = Reply.lineCode(line, last);
            if (c < 0 || (code >= 0 && c != code)) {
                close();
                throw new ProtocolException("malformed server reply: " + abbreviate(line));
            }
            code = c;
            lines.add(Reply.lineText(line));
            if (last[0]) return new Reply(code, lines);
            if (lines.size() >= MAX_LINES) {
                close();
                throw new ProtocolException("server reply too long");
            }
        }
    }

    private String nextLine(long deadline) throws IOException {
        Object item = take(deadline);
        if (item instanceof String line) return line;
        if (item == Inbox.Signal.SECURED) throw new ProtocolException("unexpected TLS event");
        throw ended(item);
    }

    private Object take(long deadline) throws IOException {
        Object item;
        try {
            item = inbox.take(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while waiting for the server");
        }
        if (item == null) {
            close();
            throw new SocketTimeoutException("read timed out");
        }
        return item;
    }

    private static IOException ended(Object item) {
        if (item instanceof IOException io) return io;
        if (item instanceof Throwable t) return new IOException(t.toString(), t);
        return new EOFException("connection closed by server");
    }

    /**
     * Switches to TLS after the server's 220 to STARTTLS. Bytes already received after that reply
     * would be plaintext injected before the handshake (CVE-2011-0411), so they end the session.
     */
    void startTls(SSLContext context, List<String> protocols, List<String> suites, Duration timeout)
            throws IOException {
        if (inbox.hasPendingData()) {
            close();
            throw new ProtocolException("server sent data after its STARTTLS reply");
        }
        SslFilter filter = new PeerNameSslFilter(context, target.host());
        String[] p = supported(protocols, context.getSupportedSSLParameters().getProtocols());
        if (p.length > 0) filter.setEnabledProtocols(p);
        String[] s = supported(suites, context.getSupportedSSLParameters().getCipherSuites());
        if (s.length > 0) filter.setEnabledCipherSuites(s);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            session.getFilterChain().addFirst("tls", filter);
        } catch (RuntimeException e) {
            close();
            throw new SSLException("cannot start the TLS handshake: " + e.getMessage(), e);
        }
        Object item = take(deadline);
        if (item != Inbox.Signal.SECURED) {
            close();
            if (item instanceof Throwable t) {
                Throwable root = t;
                while (!(root instanceof SSLException) && root.getCause() != null) root = root.getCause();
                throw root instanceof SSLException ssl ? ssl : new SSLException(t.toString(), t);
            }
            throw new SSLException(item instanceof String ? "server spoke during the TLS handshake"
                    : "connection closed during the TLS handshake");
        }
        SSLSession tls = (SSLSession) session.getAttribute(SslFilter.SSL_SECURED);
        tlsInfo = tls == null ? "TLS" : tls.getProtocol() + " with cipher " + tls.getCipherSuite();
    }

    private static String[] supported(List<String> wanted, String[] supported) {
        List<String> s = List.of(supported);
        return wanted.stream().filter(s::contains).toArray(String[]::new);
    }

    /** Sends QUIT and closes without waiting for the reply, as Postfix's smtp_skip_quit_response. */
    void quit(Duration timeout) {
        try {
            send("QUIT");
            flush(timeout);
        } catch (IOException | RuntimeException e) {
            // the peer is gone already: closing is all that is left
        }
        close();
    }

    boolean isClosed() {
        return !session.isConnected() || session.isClosing();
    }

    /**
     * True when the server said something nobody asked for, typically a 421 before it closed an
     * idle session: such a session would answer the next command with a stale reply.
     */
    boolean hasUnsolicitedInput() {
        return inbox.hasPending();
    }

    void close() {
        session.closeNow();
    }

    private void await(WriteFuture future, Duration timeout) throws IOException {
        boolean done;
        try {
            done = future.await(millis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while writing");
        }
        if (!done) {
            close();
            throw new SocketTimeoutException("write timed out");
        }
        if (!future.isWritten()) {
            Throwable cause = future.getException();
            if (cause instanceof IOException io) throw io;
            throw new EOFException("connection closed by server");
        }
    }

    static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** A server that breaks the protocol; the session with it ends. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /** The body in chunks: at most one chunk being written and one being filled, whatever the message size. */
    private final class BodyOutput extends OutputStream {
        private final Duration timeout;
        private byte[] buf = new byte[BODY_CHUNK];
        private int n;
        private WriteFuture inFlight;

        BodyOutput(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) push();
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) push();
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        private void push() throws IOException {
            if (inFlight != null) await(inFlight, timeout);
            inFlight = session.write(IoBuffer.wrap(buf, 0, n));
            // MINA owns the written array until the write completes: fill a new one meanwhile
            buf = new byte[BODY_CHUNK];
            n = 0;
        }

        @Override
        public void flush() throws IOException {
            if (n > 0) push();
            if (inFlight != null) await(inFlight, timeout);
            inFlight = null;
        }
    }

    /** Names the peer by its host name in the engine, so that the JDK sends it as SNI. */
    private static final class PeerNameSslFilter extends SslFilter {
        private final String peerHost;

        PeerNameSslFilter(SSLContext context, String peerHost) {
            super(context);
            this.peerHost = peerHost;
        }

        @Override
        protected SSLEngine createEngine(IoSession session, InetSocketAddress addr) {
            boolean literal = peerHost.indexOf(':') >= 0 || peerHost.matches("[0-9.]+");
            InetSocketAddress named = literal || addr == null ? addr
                    : InetSocketAddress.createUnresolved(peerHost, addr.getPort());
            return super.createEngine(session, named);
        }
    }

    /** What the server offered in its EHLO reply. */
    record Capabilities(Map<String, String> keywords) {
        static final Capabilities NONE = new Capabilities(Map.of());

        static Capabilities parse(Reply ehlo) {
            Map<String, String> map = new HashMap<>();
            List<String> lines = ehlo.lines();
            for (int i = 1; i < lines.size(); i++) {
                String l = lines.get(i).trim();
                if (l.isEmpty()) continue;
                int sp = l.indexOf(' ');
                String kw = (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
                map.put(kw, sp < 0 ? "" : l.substring(sp + 1).trim());
            }
            return new Capabilities(Map.copyOf(map));
        }

        boolean has(String keyword) {
            return keywords.containsKey(keyword);
        }

        /** The SIZE limit the server announced; 0 = none announced. */
        long sizeLimit() {
            String v = keywords.get("SIZE");
            if (v == null || v.isEmpty()) return 0;
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        List<String> authMechanisms() {
            String v = keywords.get("AUTH");
            if (v == null) return List.of();
            return List.of(v.toUpperCase(Locale.ROOT).split("\\s+"));
        }
    }
}
