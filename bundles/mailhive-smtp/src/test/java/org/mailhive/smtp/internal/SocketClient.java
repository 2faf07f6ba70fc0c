package org.mailhive.smtp.internal;

import java.io.IOException;
import org.mailhive.net.testing.LineClient;

/** A minimal SMTP client over a real socket: whole (multi-line) replies on top of the shared line client. */
final class SocketClient extends LineClient {

    SocketClient(int port, boolean implicitTls) throws IOException {
        // unbuffered: tests look at in.available() to see that nothing more was sent
        super(port, implicitTls, false);
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
}
