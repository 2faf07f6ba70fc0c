package org.mailhive.itest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The next hop for relayed mail: a loopback SMTP server whose answers the test scripts. It counts
 * each message it received COMPLETELY (final "." read, before its 250 goes out) by its
 * {@code X-Seq} header, so a message that arrives twice shows up with a count of 2.
 */
final class SmtpSink implements Closeable {

    enum Mode {
        /** 451 to every RCPT: the server must keep the mail in deferred/. */
        DEFER,
        /**
         * Accepts, but from the K-th DATA on waits for {@link #release()} before sending 354;
         * once one waits, RCPT gets 451 again so the rest of the mail goes back to deferred/.
         */
        BLOCK,
        ACCEPT
    }

    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> received = new ConcurrentHashMap<>();
    private final AtomicInteger rcptDeferred = new AtomicInteger();
    private final AtomicInteger dataCommands = new AtomicInteger();
    private final AtomicInteger blocked = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicInteger transferring = new AtomicInteger();
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile Mode mode = Mode.ACCEPT;
    private volatile int blockFrom = Integer.MAX_VALUE;

    SmtpSink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void deferAll() {
        mode = Mode.DEFER;
    }

    /** From the k-th DATA command counted from now on, every DATA waits for {@link #release()}. */
    void blockFromData(int k) {
        blockFrom = dataCommands.get() + k;
        mode = Mode.BLOCK;
    }

    void acceptAll() {
        mode = Mode.ACCEPT;
    }

    void release() {
        gate.countDown();
    }

    /** Transactions held at DATA by {@link Mode#BLOCK}. */
    int blocked() {
        return blocked.get();
    }

    /** Transactions whose connection ended before the final "." (never counted as received). */
    int abandoned() {
        return abandoned.get();
    }

    /** Transactions between their 354 and the end of their content. */
    int transferring() {
        return transferring.get();
    }

    int rcptDeferred() {
        return rcptDeferred.get();
    }

    /** X-Seq → how many times it was received completely. */
    Map<String, Integer> received() {
        return new TreeMap<>(received);
    }

    @Override
    public void close() throws IOException {
        gate.countDown();
        server.close();
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.add(s);
            Thread t = new Thread(() -> serve(s), "sink-conn-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            reply(out, "220 sink.test ESMTP test sink");
            int rcpts = 0;
            while (true) {
                String line = readLine(in);
                if (line == null) return;
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink.test\r\n250 ENHANCEDSTATUSCODES");
                    case "HELO" -> reply(out, "250 sink.test");
                    case "MAIL" -> {
                        rcpts = 0;
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        if (mode == Mode.DEFER || (mode == Mode.BLOCK && blocked.get() > 0)) {
                            rcptDeferred.incrementAndGet();
                            reply(out, "451 4.3.0 try later");
                        } else {
                            rcpts++;
                            reply(out, "250 2.1.5 Ok");
                        }
                    }
                    case "DATA" -> {
                        if (rcpts == 0) {
                            reply(out, "554 5.5.1 no valid recipients");
                            continue;
                        }
                        int n = dataCommands.incrementAndGet();
                        if (mode == Mode.BLOCK && n >= blockFrom) {
                            // Before 354: the server cannot have sent a byte of the content yet,
                            // so what it holds in active/ is provably not received here.
                            blocked.incrementAndGet();
                            gate.await();
                        }
                        String seq;
                        transferring.incrementAndGet();
                        try {
                            reply(out, "354 End data with <CR><LF>.<CR><LF>");
                            seq = readMessage(in);
                            if (seq != null) received.merge(seq, 1, Integer::sum);
                        } catch (IOException e) {
                            seq = null;
                        } finally {
                            transferring.decrementAndGet();
                        }
                        if (seq == null) {
                            abandoned.incrementAndGet();
                            return;
                        }
                        rcpts = 0;
                        reply(out, "250 2.0.0 Ok: received");
                    }
                    case "RSET" -> {
                        rcpts = 0;
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 command not implemented");
                }
            }
        } catch (IOException e) {
            // the peer went away (e.g. killed); an unfinished DATA was not counted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(s);
        }
    }

    /**
     * Reads the content up to the final "." and returns its X-Seq ("" when it has none), or null
     * when the connection ends first.
     */
    private static String readMessage(InputStream in) throws IOException {
        String seq = "";
        boolean inHeaders = true;
        while (true) {
            String line;
            try {
                line = readLine(in);
            } catch (IOException e) {
                return null;
            }
            if (line == null) return null;
            if (line.equals(".")) return seq;
            if (line.startsWith(".")) line = line.substring(1);
            if (inHeaders) {
                if (line.isEmpty()) {
                    inHeaders = false;
                } else if (line.regionMatches(true, 0, "X-Seq:", 0, 6)) {
                    seq = line.substring(6).trim();
                }
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF, or null at end of stream before any byte of it. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        // a line cut off by the end of the stream is not a line
        return null;
    }
}
