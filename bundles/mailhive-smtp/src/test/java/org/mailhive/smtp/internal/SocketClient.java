package org.mailhive.smtp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/** A minimal SMTP client over a real socket: whole replies, a deadline on every read, TLS upgrade. */
final class SocketClient implements AutoCloseable {

    Socket socket;
    InputStream in;
    OutputStream out;
    private final int port;

    SocketClient(int port, boolean implicitTls) throws IOException {
        this.port = port;
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        if (implicitTls) upgrade();
    }

    /** Starts TLS on the open connection (after "220 Ready to start TLS", or at once for SMTPS). */
    SSLSocket upgrade() throws IOException {
        SSLSocket ssl = (SSLSocket) TlsFixture.INSTANCE.clientContext().getSocketFactory()
                .createSocket(socket, "127.0.0.1", port, true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        ssl.setSoTimeout(10_000);
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        return ssl;
    }

    void send(String s) throws IOException {
        send(s.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (c == '\n') return sb.toString();
        }
        throw new IOException("closed after: " + sb);
    }

    String reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        String l;
        do {
            l = line();
            sb.append(l);
        } while (l.length() > 3 && l.charAt(3) == '-');
        return sb.toString();
    }

    String command(String cmd) throws IOException {
        send(cmd + "\r\n");
        return reply();
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
