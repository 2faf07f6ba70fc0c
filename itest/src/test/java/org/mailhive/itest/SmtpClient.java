package org.mailhive.itest;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A deliberately plain SMTP client: every byte on the wire is the test's choice. */
final class SmtpClient implements Closeable {

    private static final int TIMEOUT_MILLIS = 30_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static SmtpClient connect(int port) throws IOException {
        return connect(port, null);
    }

    /** Connects from a chosen loopback source address, e.g. 127.0.0.5 to stand outside mynetworks. */
    static SmtpClient connect(int port, String fromAddress) throws IOException {
        Socket socket = new Socket();
        try {
            if (fromAddress != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return new SmtpClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Implicit TLS from the first byte (SMTPS). */
    static SmtpClient connectTls(int port, SSLContext tls) throws IOException {
        SmtpClient client = connect(port);
        client.upgrade(tls);
        return client;
    }

    /** Runs the TLS handshake over the open connection, as after "220 Ready to start TLS". */
    void upgrade(SSLContext tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setSoTimeout(TIMEOUT_MILLIS);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    /** "TLSv1.3" etc. once upgraded. */
    String tlsProtocol() {
        return socket instanceof SSLSocket ? ((SSLSocket) socket).getSession().getProtocol() : "";
    }

    /** True when something accepts TCP connections on the loopback port. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when an SMTP server on the port sends a 220 greeting. */
    static boolean greets(int port) {
        try (SmtpClient client = connect(port)) {
            return client.readReply().startsWith("220 ");
        } catch (IOException e) {
            return false;
        }
    }

    /** One reply, all its lines joined with LF, without the final CRLF. */
    String readReply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed after: " + reply);
            }
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    String command(String line) throws IOException {
        send((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return readReply();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
