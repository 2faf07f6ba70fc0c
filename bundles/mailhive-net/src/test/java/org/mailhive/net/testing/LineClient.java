package org.mailhive.net.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * For tests: a line-oriented client over a real loopback socket, with a deadline on every read
 * and an upgrade to TLS trusting {@link TlsFixture}. Protocol clients extend it with their
 * reply framing. The streams are public so that a test can write raw bytes or probe the socket.
 */
public class LineClient implements AutoCloseable {

    public Socket socket;
    public InputStream in;
    public OutputStream out;
    private final int port;
    private final boolean buffered;

    /**
     * @param implicitTls handshake at once (SMTPS, POP3S)
     * @param buffered read through a buffer; unbuffered keeps unread bytes visible to {@code in.available()}
     */
    public LineClient(int port, boolean implicitTls, boolean buffered) throws IOException {
        this.port = port;
        this.buffered = buffered;
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = input(socket);
        out = socket.getOutputStream();
        if (implicitTls) upgrade();
    }

    /** Starts TLS on the open connection (after the server's go-ahead, or at once for implicit TLS). */
    public SSLSocket upgrade() throws IOException {
        SSLSocket ssl = (SSLSocket) TlsFixture.INSTANCE.clientContext().getSocketFactory()
                .createSocket(socket, "127.0.0.1", port, true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        ssl.setSoTimeout(10_000);
        socket = ssl;
        in = input(ssl);
        out = ssl.getOutputStream();
        return ssl;
    }

    private InputStream input(Socket s) throws IOException {
        return buffered ? new BufferedInputStream(s.getInputStream()) : s.getInputStream();
    }

    public void send(String s) throws IOException {
        send(s.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** One line with its CRLF, decoded as UTF-8. */
    public String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') return b.toString(StandardCharsets.UTF_8);
        }
        throw new IOException("closed after: " + b.toString(StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (EOF, or a reset after it closed). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return !(e instanceof SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
