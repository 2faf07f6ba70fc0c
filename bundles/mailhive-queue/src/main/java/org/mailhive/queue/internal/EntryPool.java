package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message directories of delivered mail, kept in {@code tmp/} and reused for new messages instead
 * of deleting them and creating new ones. Creating and deleting inodes per message is what costs
 * most CPU under load: ext4 without a journal skips recently freed inodes one by one on every
 * allocation ({@code recently_deleted}), so the cost of each new file grows with the number of
 * files freed in the last minute. A reused directory keeps its inode. Free entries wait in
 * {@code tmp/} itself, named {@code r<hex>} (queue ids are upper-case hex), and a draft is
 * written where it waits: taking one is no rename. Every rename between two directories holds
 * the file system's rename lock, which the queue's other renames and the deliveries' wait for.
 *
 * <p>Durability is unchanged. The draft writes the entry file over and commits it exactly like a
 * new one (fsync of the file, rename into incoming/, fsync of incoming/), so an acknowledged
 * message never depends on what the entry held before. Giving an entry back is a rename out of
 * {@code active/} without fsync, just like the unlink it replaces: after a crash the message may
 * come back into the queue and be delivered twice, never lost. Whatever is in {@code tmp/} at
 * start (free entries, drafts a crash interrupted, which were never acknowledged) is only
 * reused, never delivered.
 *
 * <p>Once it has left the queue (never before: an emptied entry in active/ would look damaged),
 * the entry file is cut to {@link #KEPT_BYTES}: nothing of a delivered message stays readable,
 * and the file keeps its first block, which the next message is written over. Cutting it to
 * nothing would free that block (on a disk mounted with {@code discard}, a request to the
 * device) only for the next message to allocate one again.
 */
final class EntryPool {

    private static final Logger LOG = LoggerFactory.getLogger(EntryPool.class);
    /** Where an earlier version kept free entries; removed at start. */
    static final String OLD_DIRECTORY = "recycle";
    /** Names of free entries in tmp/: never a queue id, which is upper-case hex. */
    static final String PREFIX = "r";
    /**
     * Enough for a burst of thousands of messages; beyond it delivered entries are deleted. A kept
     * entry costs two inodes and a block.
     */
    static final int DEFAULT_LIMIT = 4096;
    /** What a kept entry file is cut to: the first byte of the envelope, and its block. */
    static final long KEPT_BYTES = 1;

    private final Path queueRoot;
    private final Path dir;
    private final DiskOps ops;
    private final int limit;
    private final ConcurrentLinkedQueue<String> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong names;
    private volatile boolean ready;

    EntryPool(Path queueRoot, DiskOps ops, int limit) {
        this(queueRoot, ops, limit, System.nanoTime());
    }

    /** @param lastName where the names of released entries count on from (for tests) */
    EntryPool(Path queueRoot, DiskOps ops, int limit, long lastName) {
        this.queueRoot = queueRoot;
        this.dir = queueRoot.resolve("tmp");
        this.ops = ops;
        this.limit = limit;
        this.names = new AtomicLong(lastName);
    }

    /**
     * Adopts what a previous run left in {@code tmp/}: free entries, and drafts that were never
     * committed, each cleaned to a free entry (or removed beyond the limit). Call with the queue
     * lock held: nobody else may be writing a draft there.
     *
     * @return how many held more than a free entry does: drafts a crash interrupted, never acknowledged
     */
    int open() throws IOException {
        Files.createDirectories(dir);
        QueueDirectory.deleteTree(queueRoot.resolve(OLD_DIRECTORY));
        free.clear();
        size.set(0);
        int unfinished = 0;
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                found.add(p);
                // new names must not be one of these: a release renames onto its name, and a
                // rename replaces an empty directory (nanoTime starts again after a reboot)
                seedName(p.getFileName().toString());
            }
        }
        for (Path p : found) {
            try {
                if (adopt(p)) unfinished++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot reuse {}, removing it: {}", p, e.toString());
                QueueDirectory.deleteTree(p);
            }
        }
        ready = true;
        return unfinished;
    }

    private void seedName(String name) {
        if (!name.startsWith(PREFIX)) return;
        try {
            names.accumulateAndGet(Long.parseUnsignedLong(name.substring(PREFIX.length()), 16), Math::max);
        } catch (NumberFormatException e) {
            // not a name of ours: adopted under a new one
        }
    }

    /** @return whether it held more than a free entry does */
    private boolean adopt(Path p) throws IOException {
        String name = p.getFileName().toString();
        if (size.get() >= limit || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            QueueDirectory.deleteTree(p);
            return !name.startsWith(PREFIX);
        }
        boolean held = !name.startsWith(PREFIX);
        Path kept = p;
        if (!name.startsWith(PREFIX)) {
            kept = dir.resolve(newName());
            ops.move(p, kept);
        }
        // only the entry file may be in a free entry: an envelope would stand in for the
        // next message's, and anything else is a leftover of a draft or an earlier version
        try (DirectoryStream<Path> files = Files.newDirectoryStream(kept)) {
            for (Path f : files) {
                if (f.getFileName().toString().equals(QueueEntryFile.NAME)) {
                    held |= empty(f);
                } else {
                    QueueDirectory.deleteTree(f);
                    held = true;
                }
            }
        }
        free.add(kept.getFileName().toString());
        size.incrementAndGet();
        return held;
    }

    /** A free entry's directory in {@code tmp/}, now the caller's to write a draft in; null when none is free. */
    Path take() {
        if (!ready) return null;
        String name = free.poll();
        if (name == null) return null;
        size.decrementAndGet();
        return dir.resolve(name);
    }

    /**
     * Takes a finished message directory out of its queue: kept for reuse, or deleted when the
     * pool is full or the directory holds more than its entry file ({@code pristine} false: an
     * envelope written since, or a message of the format before).
     */
    void release(Path entry, boolean pristine) throws IOException {
        if (pristine && ready && size.get() < limit) {
            String name = newName();
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

    private String newName() {
        return PREFIX + Long.toHexString(names.incrementAndGet());
    }

    /** @return whether there was more to cut */
    private static boolean empty(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() <= KEPT_BYTES) return false;
            ch.truncate(KEPT_BYTES);
            return true;
        }
    }

    /** Free entries now (for tests). */
    int size() {
        return size.get();
    }
}
