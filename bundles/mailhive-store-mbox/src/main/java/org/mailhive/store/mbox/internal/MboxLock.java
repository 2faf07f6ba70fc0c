package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The locks mutt, mailutils and Postfix's local(8) take on an mbox: a {@code <file>.lock}
 * dotlock for writers and an fcntl lock on the file itself (shared for readers). The caller
 * already holds the in-process lock of the file: the JVM allows only one fcntl lock per file.
 */
final class MboxLock implements AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final FileChannel channel;
    private final FileLock lock;
    private final Path dotlock;

    private MboxLock(FileChannel channel, FileLock lock, Path dotlock) {
        this.channel = channel;
        this.lock = lock;
        this.dotlock = dotlock;
    }

    /** Dotlock, then the existing file open for writing with an exclusive fcntl lock. */
    static MboxLock exclusive(Path file, Duration timeout, Duration staleAfter) throws IOException {
        return exclusive(file, timeout, staleAfter, null);
    }

    /** As above; the dotlock is given to the mailbox's owner, like the lock a user's mail reader makes. */
    static MboxLock exclusive(Path file, Duration timeout, Duration staleAfter, MboxLayout layout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path dot = file.resolveSibling(file.getFileName() + ".lock");
        takeDotlock(dot, deadline, staleAfter);
        try {
            MboxOwner.own(dot, layout);
            return lockFile(file, false, deadline, dot);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(dot);
            throw e;
        }
    }

    /** The existing file open for reading with a shared fcntl lock (writers wait, readers do not). */
    static MboxLock shared(Path file, Duration timeout) throws IOException {
        return lockFile(file, true, System.nanoTime() + timeout.toNanos(), null);
    }

    FileChannel channel() {
        return channel;
    }

    private static MboxLock lockFile(Path file, boolean shared, long deadline, Path dot) throws IOException {
        while (true) {
            Object before = fileKey(file);
            // O_NOFOLLOW: a root server must not write through a link a user put at the mailbox's path
            FileChannel ch = shared
                    ? FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            boolean ok = false;
            try {
                FileLock l = tryLock(ch, shared, deadline, file);
                // another program may have renamed a new file over the path while we waited for
                // the lock: then the lock is on a file nobody will read again, so start over
                Object after = fileKey(file);
                if (before == null || Objects.equals(before, after)) {
                    ok = true;
                    return new MboxLock(ch, l, dot);
                }
            } finally {
                if (!ok) ch.close();
            }
        }
    }

    private static FileLock tryLock(FileChannel ch, boolean shared, long deadline, Path file) throws IOException {
        long pause = POLL_NANOS;
        while (true) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, shared);
            if (l != null) return l;
            if (System.nanoTime() - deadline > 0) throw new IOException("mailbox is locked (fcntl): " + file);
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void takeDotlock(Path dot, long deadline, Duration staleAfter) throws IOException {
        long pause = POLL_NANOS;
        while (true) {
            try {
                Files.createFile(dot, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return;
            } catch (FileAlreadyExistsException e) {
                removeIfStale(dot, staleAfter);
            } catch (UnsupportedOperationException e) {
                Files.createFile(dot);
                return;
            }
            if (System.nanoTime() - deadline > 0) throw new IOException("mailbox is locked (dotlock): " + dot);
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    /** A dotlock older than {@code staleAfter} belongs to a program that died holding it (mutt's rule). */
    private static void removeIfStale(Path dot, Duration staleAfter) throws IOException {
        try {
            FileTime t = Files.getLastModifiedTime(dot);
            if (System.currentTimeMillis() - t.toMillis() > staleAfter.toMillis()) {
                org.slf4j.LoggerFactory.getLogger(MboxLock.class).warn("removing stale lock {}", dot);
                Files.deleteIfExists(dot);
            }
        } catch (NoSuchFileException e) {
            // released meanwhile: the next attempt will take it
        }
    }

    /** Releases the fcntl lock but keeps the channel open for a reader that goes on streaming. */
    FileChannel releaseKeepingChannel() throws IOException {
        lock.release();
        return channel;
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } finally {
            if (dotlock != null) Files.deleteIfExists(dotlock);
        }
    }
}
