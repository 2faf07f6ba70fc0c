package org.mailhive.smtp.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback SMTP server for the tests: scriptable replies per recipient, optional STARTTLS and
 * AUTH, a strict PIPELINING mode, and a record of everything it received.
 */
final class SmtpSink implements Closeable {

    private final ServerSocket server;
    private final Thread acceptor;

    volatile List<String> extensions = List.of("PIPELINING", "8BITMIME", "SIZE 100000000");
    volatile Function<String, String> rcptReply = SmtpSink::byLocalPart;
    volatile String dataReply;
    /** Never greets: for timeouts. */
    volatile boolean silent;
    /** Holds the replies to MAIL and RCPT until DATA arrives: a client that does not pipeline waits forever. */
    volatile boolean strictPipelining;
    volatile SSLContext tls;
    volatile boolean offerAuth;
    volatile boolean closeAfterRset;
    volatile boolean refuseEhlo;
    /** Answers STARTTLS with 220 and then hangs up instead of a handshake. */
    volatile boolean brokenTls;
    /** Says 421 right after the RSET reply and hangs up, as a server whose idle timer ran out. */
    volatile boolean idle421AfterRset;
    /** Stops reading after 354, so the client's body writes stall once the socket buffers are full. */
    volatile boolean stallInData;
    private final CountDownLatch closing = new CountDownLatch(1);
    volatile String greetingName = "sink.test";

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger quits = new AtomicInteger();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<byte[]> wireData = new CopyOnWriteArrayList<>();
    final List<byte[]> messages = new CopyOnWriteArrayList<>();
    /** For each MAIL FROM: whether the session was inside TLS. */
    final List<Boolean> tlsAtMail = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();

    private SmtpSink(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SmtpSink start(String address, int port) throws IOException {
        return new SmtpSink(new ServerSocket(port, 50, InetAddress.getByName(address)));
    }

    int port() {
        return server.getLocalPort();
    }

    static String byLocalPart(String localPart) {
        if (localPart.startsWith("reject")) return "550 5.1.1 no such user here";
        if (localPart.startsWith("defer")) return "451 4.3.0 try later";
        return "250 2.1.5 ok";
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "sink-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (Socket s = socket) {
            Socket current = s;
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            if (silent) {
                while (in.read() >= 0) {
                    // swallow until the client gives up
                }
                return;
            }
            boolean secure = false;
            int accepted = 0;
            List<String> pending = new ArrayList<>();
            write(out, "220 " + greetingName + " ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String u = line.toUpperCase(Locale.ROOT);
                if (u.startsWith("EHLO") && refuseEhlo) {
                    write(out, "502 5.5.2 unknown command");
                } else if (u.startsWith("EHLO")) {
                    List<String> ext = new ArrayList<>(extensions);
                    if (tls != null && !secure) ext.add("STARTTLS");
                    if (offerAuth && secure) ext.add("AUTH PLAIN LOGIN");
                    StringBuilder sb = new StringBuilder("250");
                    sb.append(ext.isEmpty() ? " " : "-").append(greetingName);
                    for (int i = 0; i < ext.size(); i++) {
                        sb.append("\r\n250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i));
                    }
                    write(out, sb.toString());
                } else if (u.startsWith("HELO")) {
                    write(out, "250 " + greetingName);
                } else if (u.equals("STARTTLS") && tls != null && brokenTls) {
                    write(out, "220 2.0.0 ready");
                    return;
                } else if (u.equals("STARTTLS") && tls != null) {
                    write(out, "220 2.0.0 ready");
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory()
                            .createSocket(current, null, current.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    current = ssl;
                    in = ssl.getInputStream();
                    out = ssl.getOutputStream();
                    secure = true;
                } else if (u.startsWith("AUTH")) {
                    write(out, "235 2.7.0 Authentication successful");
                } else if (u.startsWith("MAIL")) {
                    accepted = 0;
                    tlsAtMail.add(secure);
                    reply(out, pending, "250 2.1.0 ok");
                } else if (u.startsWith("RCPT")) {
                    String addr = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String localPart = addr.substring(0, Math.max(0, addr.indexOf('@')));
                    String r = rcptReply.apply(localPart.toLowerCase(Locale.ROOT));
                    if (r.startsWith("2")) accepted++;
                    reply(out, pending, r);
                } else if (u.equals("DATA")) {
                    for (String p : pending) write(out, p);
                    pending.clear();
                    if (accepted == 0) {
                        write(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    write(out, "354 go ahead");
                    if (stallInData) {
                        awaitClose();
                        return;
                    }
                    byte[] wire = readData(in);
                    wireData.add(wire);
                    messages.add(unstuff(wire));
                    String d = dataReply;
                    write(out, d != null ? d : "250 2.0.0 queued as sink" + queued.getAndIncrement());
                } else if (u.equals("RSET")) {
                    pending.clear();
                    write(out, "250 2.0.0 ok");
                    if (idle421AfterRset) write(out, "421 4.4.2 sink.test Error: timeout exceeded");
                    if (closeAfterRset || idle421AfterRset) return;
                } else if (u.equals("QUIT")) {
                    quits.incrementAndGet();
                    write(out, "221 2.0.0 bye");
                    return;
                } else if (u.equals("NOOP")) {
                    write(out, "250 2.0.0 ok");
                } else {
                    write(out, "502 5.5.2 unknown command");
                }
            }
        } catch (IOException e) {
            // the client went away: the session ends
        }
    }

    private void awaitClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reply(OutputStream out, List<String> pending, String reply) throws IOException {
        if (strictPipelining) {
            pending.add(reply);
        } else {
            write(out, reply);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    /** The DATA bytes as they came over the wire, up to and including the final ".\r\n". */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] sofar = b.toByteArray();
            int n = sofar.length;
            if (n == 3 && Arrays.equals(sofar, ".\r\n".getBytes(StandardCharsets.US_ASCII))) break;
            if (n >= 5 && sofar[n - 5] == '\r' && sofar[n - 4] == '\n' && sofar[n - 3] == '.' && sofar[n - 2] == '\r'
                    && sofar[n - 1] == '\n') {
                break;
            }
        }
        return b.toByteArray();
    }

    /** Undoes dot-stuffing and drops the terminating ".\r\n". */
    static byte[] unstuff(byte[] wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int end = wire.length - 3;
        boolean lineStart = true;
        for (int i = 0; i < end; i++) {
            if (lineStart && wire[i] == '.') {
                lineStart = false;
                continue;
            }
            out.write(wire[i]);
            lineStart = wire[i] == '\n';
        }
        return out.toByteArray();
    }

    static String decodeAuth(String line) {
        String b64 = line.substring(line.lastIndexOf(' ') + 1);
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
        for (Socket s : open) s.close();
    }
}
