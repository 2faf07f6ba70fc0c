package org.mailhive.itest;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A deliberately plain POP3 client for the container tests, like {@link SmtpClient}. */
final class Pop3Client implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Pop3Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Pop3Client connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        return new Pop3Client(s);
    }

    /** Sends one command line and returns the first reply line, without its CRLF. */
    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return line();
    }

    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A multi-line body up to ".", un-stuffed, with CRLF line ends kept. */
    byte[] multiline() throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        while (true) {
            String l = line();
            if (l.equals(".")) return msg.toByteArray();
            if (l.startsWith(".")) l = l.substring(1);
            msg.write((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
