package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Dovecot's way of locking and replacing {@code dovecot-uidlist}: create
 * {@code dovecot-uidlist.lock} exclusively, write the new index into it, fsync and rename it over
 * the index (which also releases the lock). Works across processes, Dovecot included.
 */
final class DotLock implements AutoCloseable {

    static final String FILE = UidList.FILE + ".lock";
    /** Dovecot's default: a lock file untouched this long belongs to a dead process. */
    private static final Duration STALE = Duration.ofMinutes(2);
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final Path lock;
    private final Path target;
    private FileChannel channel;
    /** The lock file holds a complete, fsync'd index waiting for {@link #publish}. */
    private boolean prepared;

    private DotLock(Path lock, Path target, FileChannel channel) {
        this.lock = lock;
        this.target = target;
        this.channel = channel;
    }

    static DotLock acquire(Path dir) throws IOException {
        return acquire(dir, null);
    }

    /** With an owner, the lock file (the next index) is given to it before it is renamed into place. */
    static DotLock acquire(Path dir, org.mailhive.api.store.MailboxLocation.Owner owner) throws IOException {
        Path lock = dir.resolve(FILE);
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long pause = 100_000;
        while (true) {
            try {
                FileChannel ch = FileChannel.open(lock, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    AtomicFiles.own(lock, owner);
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    Files.deleteIfExists(lock);
                    throw e;
                }
                return new DotLock(lock, dir.resolve(UidList.FILE), ch);
            } catch (FileAlreadyExistsException e) {
                breakIfStale(lock);
            }
            if (System.nanoTime() > deadline) throw new IOException("cannot lock " + lock + ": held by another process");
            // another process holds it: back off briefly (in-process callers are queued on a Java lock instead)
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 10_000_000);
        }
    }

    /** One attempt without waiting: null when another session or process holds the lock. */
    static DotLock tryAcquire(Path dir) throws IOException {
        Path lock = dir.resolve(FILE);
        try {
            FileChannel ch = FileChannel.open(lock, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return new DotLock(lock, dir.resolve(UidList.FILE), ch);
        } catch (FileAlreadyExistsException e) {
            breakIfStale(lock);
            return null;
        }
    }

    private static void breakIfStale(Path lock) throws IOException {
        try {
            FileTime t = Files.getLastModifiedTime(lock);
            if (System.currentTimeMillis() - t.toMillis() > STALE.toMillis()) Files.deleteIfExists(lock);
        } catch (NoSuchFileException e) {
            // released meanwhile: the next attempt will take it
        }
    }

    /** Writes the new index and renames it into place; the lock is released by the rename. */
    void commit(byte[] content, DiskOps disk) throws IOException {
        prepare(content, disk);
        publish(disk);
    }

    /** Writes and fsyncs the new index in the lock file: not yet visible to any reader. */
    void prepare(byte[] content, DiskOps disk) throws IOException {
        try {
            try (FileChannel ch = channel) {
                AtomicFiles.writeFully(ch, content);
                disk.syncFile(lock, ch);
            }
            channel = null;
            prepared = true;
        } catch (IOException | RuntimeException e) {
            channel = null;
            Files.deleteIfExists(lock);
            throw e;
        }
    }

    /** Renames the prepared index over the old one, which releases the lock. */
    void publish(DiskOps disk) throws IOException {
        if (!prepared) throw new IOException("index in " + lock + " was not written");
        try {
            disk.move(lock, target);
            prepared = false;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(lock);
            prepared = false;
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            Files.deleteIfExists(lock);
        } else if (prepared) {
            // prepared but never published (a failure in between): the old index stays
            prepared = false;
            Files.deleteIfExists(lock);
        }
    }
}
