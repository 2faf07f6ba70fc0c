package org.mailhive.admin.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local admin endpoint: a Unix domain socket that only the operator can reach (its directory
 * is 0700, the socket 0600). MINA 2.2 has no AF_UNIX transport, so this uses the JDK's
 * {@code ServerSocketChannel} (Java 16+) with blocking I/O on its own few threads — no MINA I/O
 * thread is involved. One request per connection: one line of tab-separated words; the answer is
 * text lines and a last line {@code exit N}.
 */
public final class AdminServer implements Closeable {

    /** Answers one request. */
    public interface Handler {
        Answer handle(List<String> words);
    }

    static final int MAX_REQUEST = 8192;
    private static final long REQUEST_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Path socket;
    private final Handler handler;
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private ServerSocketChannel server;
    private Thread acceptor;

    public AdminServer(Path socket, Handler handler) {
        this.socket = socket;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(2, r -> daemon(r, "mailhive-admin-" + n.incrementAndGet()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mailhive-admin-timeout"));
    }

    public Path socket() {
        return socket;
    }

    public synchronized void start() throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(dir + " exists and is not a directory", e);
        }
        // the directory is what keeps other users out: a socket's own mode is not honoured everywhere
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        removeStale();
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        server = ch;
        acceptor = daemon(this::acceptLoop, "mailhive-admin-accept");
        acceptor.start();
    }

    /** A socket file left by a crashed server is removed; one a live server answers on is not. */
    private void removeStale() throws IOException {
        if (!Files.exists(socket)) return;
        if (answers(socket)) throw new IOException(socket + " is in use by a running server");
        Files.deleteIfExists(socket);
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        ServerSocketChannel ch = server;
        while (ch.isOpen()) {
            try {
                SocketChannel c = ch.accept();
                try {
                    workers.execute(() -> serve(c));
                } catch (RejectedExecutionException e) {
                    c.close();
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!ch.isOpen()) return;
                LOG.warn("admin socket {}: accept failed: {}", socket, e.toString());
            }
        }
    }

    private void serve(SocketChannel c) {
        // a client that never finishes its line must not keep a worker forever
        ScheduledFuture<?> timeout = watchdog.schedule(() -> closeQuietly(c), REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try (c) {
            Answer a;
            String line = readLine(c);
            if (line == null) {
                a = new Answer(List.of(), List.of("mailhive: request longer than " + MAX_REQUEST + " bytes"), 2);
            } else if (line.isBlank()) {
                a = new Answer(List.of(), List.of("mailhive: empty request"), 2);
            } else {
                a = handle(Arrays.asList(line.split("\t")));
            }
            write(c, a);
        } catch (IOException e) {
            LOG.debug("admin socket: client went away: {}", e.toString());
        } finally {
            timeout.cancel(false);
        }
    }

    private Answer handle(List<String> words) {
        try {
            return handler.handle(words);
        } catch (RuntimeException e) {
            LOG.error("admin command {} failed", words.get(0), e);
            return new Answer(List.of(), List.of("mailhive: " + words.get(0) + " failed: " + e), 1);
        }
    }

    /** The first line without its end, or null when it is longer than allowed. */
    static String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteBuffer bb = ByteBuffer.allocate(1024);
        while (true) {
            bb.clear();
            int n = c.read(bb);
            if (n < 0) break;
            for (int i = 0; i < n; i++) {
                byte b = bb.get(i);
                if (b == '\n') return strip(buf);
                buf.write(b);
                if (buf.size() > MAX_REQUEST) return null;
            }
        }
        return strip(buf);
    }

    private static String strip(ByteArrayOutputStream buf) {
        String s = buf.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static void write(SocketChannel c, Answer a) throws IOException {
        StringBuilder b = new StringBuilder();
        List<String> lines = new ArrayList<>();
        for (String l : a.all()) lines.addAll(Arrays.asList(l.split("\r?\n", -1)));
        for (String l : lines) {
            // a line reading "exit N" would end the answer early for the client
            b.append(l.startsWith("exit ") ? " " + l : l).append('\n');
        }
        b.append("exit ").append(a.exit()).append('\n');
        ByteBuffer out = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) c.write(out);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        if (acceptor != null) {
            acceptor.interrupt();
            acceptor = null;
        }
        workers.shutdownNow();
        watchdog.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("admin socket {} could not be removed: {}", socket, e.toString());
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
