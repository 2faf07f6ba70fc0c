package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.mailhive.api.store.MailboxLocation.Owner;
import org.mailhive.api.store.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The header cache of one folder as {@link FolderDir} uses it: answers from {@link HeaderCache},
 * reads the message file on a miss and queues what it parsed, and writes under the folder's
 * locks. The cache is an optimisation: none of its failures fails a delivery or a read.
 */
final class FolderCache {

    private static final Logger LOG = LoggerFactory.getLogger(FolderCache.class);

    private final Path dir;
    private final ReentrantLock lock;
    private final HeaderCache cache;
    /** Sessions with this folder open: the cache keeps its key map only while there are some. */
    private final AtomicInteger sessions = new AtomicInteger();
    /** Message files read for their header: lets a test prove that a cache hit reads none. */
    final AtomicLong headerReads = new AtomicLong();

    FolderCache(Path dir, DiskOps disk, ReentrantLock lock) {
        this(dir, disk, lock, () -> null);
    }

    FolderCache(Path dir, DiskOps disk, ReentrantLock lock, Supplier<Owner> owner) {
        this.dir = dir;
        this.lock = lock;
        this.cache = new HeaderCache(dir, disk, owner);
    }

    /**
     * The header of the message in {@code file}: from the cache, else read from the file
     * (NoSuchFileException when it was renamed or removed). {@code crlfSize} is -1 when unknown.
     */
    MessageHeaders headers(Path file, String key, long crlfSize) throws IOException {
        HeaderCache.Item hit = cache.lookup(key);
        if (hit != null) {
            // a stat, not a read: the answer must follow the folder (expunged here or by mutt) as open() does
            if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
            return MessageHeaders.of(hit.header(), hit.truncated());
        }
        headerReads.incrementAndGet();
        MessageHeaders h;
        try (InputStream in = new CrlfInputStream(Files.newInputStream(file))) {
            h = MessageHeaders.read(in);
        }
        remember(new HeaderCache.Item(key, crlfSize, h.truncated(), h.raw()));
        return h;
    }

    /** The cached entry only (for copies that share the bytes); null on a miss. */
    HeaderCache.Item cached(String key) {
        return cache.lookup(key);
    }

    long crlfSize(String key) {
        return cache.crlfSize(key);
    }

    void remember(HeaderCache.Item item) {
        if (cache.offer(item)) flush();
    }

    /**
     * Writes the headers parsed lazily, if the locks are free right now: a reader never waits
     * behind a delivery for an optimisation; what is not written now goes with a later write.
     */
    void flush() {
        if (!cache.hasPending() || !lock.tryLock()) return;
        try (DotLock dot = DotLock.tryAcquire(dir)) {
            if (dot != null) cache.write(List.of());
        } catch (IOException | RuntimeException e) {
            LOG.debug("header cache of {} not written: {}", dir, e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** With both locks held. */
    void write(List<HeaderCache.Item> items) {
        try {
            cache.write(items);
        } catch (IOException | RuntimeException e) {
            LOG.warn("header cache of {} not written: {}", dir, e.toString());
        }
    }

    /** With both locks held; {@code live} are the names in the index. */
    void compact(Collection<String> live) {
        try {
            cache.compactIfMostlyDead(live);
        } catch (IOException | RuntimeException e) {
            LOG.warn("header cache of {} not compacted: {}", dir, e.toString());
        }
    }

    void retain() {
        sessions.incrementAndGet();
    }

    void release() {
        if (sessions.decrementAndGet() > 0) return;
        flush();
        cache.dropIndex();
    }
}
