package org.mailhive.pop3.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.mailhive.net.testing.LineClient;

/** A minimal POP3 client over a real socket: status lines and multi-line responses on top of the shared line client. */
final class Pop3Client extends LineClient {

    Pop3Client(int port, boolean implicitTls) throws IOException {
        super(port, implicitTls, true);
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
}
