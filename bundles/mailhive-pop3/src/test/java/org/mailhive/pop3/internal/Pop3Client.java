package org.mailhive.pop3.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/** A minimal POP3 client over a real socket: lines, multi-line responses, a deadline on every read, TLS. */
final class Pop3Client implements AutoCloseable {

    private final int port;
    Socket socket;
    InputStream in;
    OutputStream out;

    Pop3Client(int port, boolean implicitTls) throws IOException {
        this.port = port;
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (implicitTls) upgrade();
    }

    SSLSocket upgrade() throws IOException {
        SSLSocket ssl = (SSLSocket) TlsFixture.INSTANCE.clientContext().getSocketFactory()
                .createSocket(socket, "127.0.0.1", port, true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        ssl.setSoTimeout(10_000);
        socket = ssl;
        in = new BufferedInputStream(ssl.getInputStream());
        out = ssl.getOutputStream();
        return ssl;
    }

    void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line with its CRLF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') return b.toString(StandardCharsets.UTF_8);
        }
        throw new IOException("closed after: " + b.toString(StandardCharsets.UTF_8));
    }

    String command(String cmd) throws IOException {
        send(cmd + "\r\n");
        return line();
    }

    /** The raw body of a multi-line response up to and including the terminating ".CRLF". */
    byte[] body() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        boolean lineStart = true;
        int state = 0; // 1: "." at line start, 2: ".\r"
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (state == 2 && c == '\n') return b.toByteArray();
            state = lineStart && c == '.' ? 1 : state == 1 && c == '\r' ? 2 : 0;
            lineStart = c == '\n';
        }
        throw new IOException("closed inside a multi-line response");
    }

    String bodyText() throws IOException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** A status line and, when it is +OK, the multi-line body after it. */
    String multi(String cmd) throws IOException {
        String status = command(cmd);
        return status.startsWith("+OK") ? status + bodyText() : status;
    }

    /** Undoes dot-stuffing and strips the terminator: the message as the server holds it. */
    static byte[] unstuff(byte[] body) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        boolean lineStart = true;
        int end = body.length - 3; // ".\r\n"
        for (int i = 0; i < end; i++) {
            byte c = body[i];
            if (!(lineStart && c == '.')) m.write(c);
            lineStart = c == '\n';
        }
        return m.toByteArray();
    }

    /** True when the server closed the connection (EOF, or a reset after it closed). */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
