package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The entry for the offline command (plain class path, no OSGi): runs queue commands on the files
 * directly when no queue manager holds {@code .qmgr.lock}, else hands them to the running one
 * through {@code requests/} and waits for its answer.
 */
public final class QueueControl {

    private QueueControl() {
    }

    public static QueueCommands.Answer execute(Path root, List<String> words, Duration timeout)
            throws IOException, InterruptedException {
        QueueDirectory dirs = new QueueDirectory(root, RealDiskOps.INSTANCE);
        if (!Files.isDirectory(root)) {
            // no queue yet: nothing to lock and nothing queued
            return offline(dirs, words);
        }
        try (FileChannel ch = FileChannel.open(dirs.lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(ch);
            if (lock != null) return offline(dirs, words, lock);
            return ask(dirs, ch, words, timeout);
        }
    }

    private static QueueCommands.Answer offline(QueueDirectory dirs, List<String> words) {
        return QueueCommands.run(new QueueAdminOps(dirs, QueueAdminOps.OFFLINE), words, ZoneId.systemDefault());
    }

    private static QueueCommands.Answer offline(QueueDirectory dirs, List<String> words, FileLock lock)
            throws IOException {
        try {
            return offline(dirs, words);
        } finally {
            lock.release();
        }
    }

    /** The lock, or null when someone holds it (another process, or a queue manager in this JVM). */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * Leaves the request for the queue manager and waits for its answer. The lock holder may also
     * have been another offline command: when the lock comes free while the request still waits,
     * the command takes the request back and does the work itself.
     */
    private static QueueCommands.Answer ask(QueueDirectory dirs, FileChannel ch, List<String> words,
            Duration timeout) throws IOException, InterruptedException {
        Path dir = dirs.requests;
        Files.createDirectories(dir);
        String base = Long.toString(System.nanoTime()) + "-" + ProcessHandle.current().pid();
        Path tmp = dir.resolve(base + ".new");
        Path request = dir.resolve(base + RequestServer.REQUEST);
        Path done = dir.resolve(base + RequestServer.DONE);
        Files.writeString(tmp, String.join(" ", words) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, request, StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int round = 1; System.nanoTime() < deadline; round++) {
            try {
                String text = Files.readString(done, StandardCharsets.UTF_8);
                Files.deleteIfExists(done);
                return parse(text);
            } catch (NoSuchFileException e) {
                // not answered yet
            }
            if (round % 10 == 0) {
                FileLock lock = tryLock(ch);
                if (lock != null) {
                    if (Files.deleteIfExists(request)) return offline(dirs, words, lock);
                    lock.release();
                }
            }
            Thread.sleep(50);
        }
        if (Files.deleteIfExists(request)) {
            return new QueueCommands.Answer(1, "the queue manager holds " + dirs.lockFile
                    + " but did not answer within " + timeout.toSeconds() + " s");
        }
        return new QueueCommands.Answer(1, "the queue manager took the request but did not answer within "
                + timeout.toSeconds() + " s; it may still be carried out");
    }

    static QueueCommands.Answer parse(String text) {
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        if (!first.startsWith("exit ")) return new QueueCommands.Answer(1, "unreadable answer: " + first);
        try {
            return new QueueCommands.Answer(Integer.parseInt(first.substring(5).trim()),
                    nl < 0 ? "" : text.substring(nl + 1));
        } catch (NumberFormatException e) {
            return new QueueCommands.Answer(1, "unreadable answer: " + first);
        }
    }
}
