package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message directories of delivered mail, kept in {@code recycle/} and reused for new messages
 * instead of deleting them and creating new ones. Creating and deleting inodes per message is
 * what costs most CPU under load: ext4 without a journal skips recently freed inodes one by one
 * on every allocation ({@code recently_deleted}), so the cost of each new file grows with the
 * number of files freed in the last minute. A reused directory keeps its inode.
 *
 * <p>Durability is unchanged. Taking an entry is a rename into {@code tmp/<id>}; the draft then
 * writes its entry file over and commits it exactly like a new one (fsync of the file, rename
 * into incoming/, fsync of incoming/), so an acknowledged message never depends on what the
 * entry held before. Giving an entry back is a rename out of {@code active/} without fsync, just
 * like the unlink it replaces: after a crash the message may come back into the queue and be
 * delivered twice, never lost. What is in {@code recycle/} after a restart is only reused, never
 * delivered.
 *
 * <p>Once it has left the queue (never before: an emptied entry in active/ would look damaged),
 * the entry file is cut to {@link #KEPT_BYTES}: nothing of a delivered message stays readable,
 * and the file keeps its first block, which the next message is written over. Cutting it to
 * nothing would free that block (on a disk mounted with {@code discard}, a request to the
 * device) only for the next message to allocate one again.
 */
final class EntryPool {

    private static final Logger LOG = LoggerFactory.getLogger(EntryPool.class);
    static final String DIRECTORY = "recycle";
    /**
     * Enough for a burst of thousands of messages; beyond it delivered entries are deleted. A kept
     * entry costs two inodes and a block.
     */
    static final int DEFAULT_LIMIT = 4096;
    /** What a kept entry file is cut to: the first byte of the envelope, and its block. */
    static final long KEPT_BYTES = 1;

    private final Path dir;
    private final DiskOps ops;
    private final int limit;
    private final ConcurrentLinkedQueue<String> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong names = new AtomicLong(System.nanoTime());
    private volatile boolean ready;

    EntryPool(Path queueRoot, DiskOps ops, int limit) {
        this.dir = queueRoot.resolve(DIRECTORY);
        this.ops = ops;
        this.limit = limit;
    }

    /** Creates {@code recycle/} and adopts what a previous run left there. */
    void open() throws IOException {
        Files.createDirectories(dir);
        free.clear();
        size.set(0);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (size.get() < limit && Files.isDirectory(p)) {
                    // only the entry file may be in a free entry: a leftover envelope would
                    // stand in for the next message's (an entry kept by an earlier version)
                    Files.deleteIfExists(p.resolve(QueueDirectory.ENVELOPE));
                    Files.deleteIfExists(p.resolve(QueueDirectory.MESSAGE));
                    free.add(p.getFileName().toString());
                    size.incrementAndGet();
                } else {
                    QueueDirectory.deleteTree(p);
                }
            }
        }
        ready = true;
    }

    /**
     * Moves a free entry to {@code target} (which must not exist yet, e.g. {@code tmp/<id>});
     * false when none is free, and the caller creates a directory as before.
     */
    boolean take(Path target) {
        if (!ready) return false;
        for (String name; (name = free.poll()) != null;) {
            size.decrementAndGet();
            try {
                // target is a fresh id's name in tmp/: nothing there (tmp/ is emptied at start)
                ops.move(dir.resolve(name), target);
                return true;
            } catch (NoSuchFileException e) {
                // removed behind our back (an operator cleaning up): try the next one
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot reuse queue entry {}: {}", name, e.toString());
                deleteQuietly(dir.resolve(name));
            }
        }
        return false;
    }

    /**
     * Takes a finished message directory out of its queue: kept for reuse, or deleted when the
     * pool is full or the directory holds more than its entry file ({@code pristine} false: an
     * envelope written since, or a message of the format before).
     */
    void release(Path entry, boolean pristine) throws IOException {
        if (pristine && ready && size.get() < limit) {
            String name = Long.toHexString(names.incrementAndGet());
            Path kept = dir.resolve(name);
            try {
                // out of the queue first: an emptied entry left in active/ by a crash would look
                // like a damaged message to recovery and to anyone listing the queue
                ops.move(entry, kept);
            } catch (NoSuchFileException e) {
                if (!Files.exists(entry)) return;
                QueueDirectory.deleteTree(entry);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot keep queue entry {} for reuse: {}", entry, e.toString());
                QueueDirectory.deleteTree(entry);
                return;
            }
            try {
                empty(kept.resolve(QueueEntryFile.NAME));
                free.add(name);
                size.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot keep queue entry {} for reuse: {}", kept, e.toString());
                QueueDirectory.deleteTree(kept);
            }
            return;
        }
        QueueDirectory.deleteTree(entry);
    }

    private static void empty(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > KEPT_BYTES) ch.truncate(KEPT_BYTES);
        }
    }

    /** Free entries now (for tests). */
    int size() {
        return size.get();
    }

    private static void deleteQuietly(Path p) {
        try {
            QueueDirectory.deleteTree(p);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", p, e.toString());
        }
    }
}
