package org.mailhive.store.maildir.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.mailhive.api.store.MailboxLocation.Owner;
import org.mailhive.api.store.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder's {@code mailhive.cache}: the header section (and CRLF size when known) of each
 * message, keyed by the part of the file name that flag changes leave alone. Maildir files never
 * change once delivered, so an entry stays right for as long as its name is in the folder; an
 * entry for a name that left is never asked for and goes at the next compaction.
 * <p>
 * Layout: {@link #MAGIC} (8 bytes, the last one the format version), a random 8-byte generation
 * that changes with every rewrite, then records appended one after the other:
 * {@code int RECORD, int n, n bytes of body, int CRC-32C(body)}, where the body is
 * {@code short keyLength, key (UTF-8), long crlfSize (-1 unknown), byte flags, int headerLength, header}.
 * Readers take records up to the first one that is short or fails its checksum (the torn tail of
 * a crash); the next writer cuts the file there. A file with another magic or version is not
 * read and is replaced on the next write.
 * <p>
 * Writers hold the folder's locks (the in-process lock and {@code dovecot-uidlist.lock}, as for
 * the index); readers take no lock and check every record they read, so a rewrite under them
 * costs a cache miss, never a wrong answer. Nothing here is fatal: any failure is a miss.
 */
final class HeaderCache {

    static final String FILE = "mailhive.cache";
    static final byte[] MAGIC = {'M', 'H', 'C', 'A', 'C', 'H', 'E', 1};
    static final int RECORD = 0x4d48_5231;
    static final int FILE_HEADER = 16;
    /** Pending lazily parsed entries written together, so a listing does not take the lock per message. */
    static final int FLUSH_AT = 64;
    private static final int MAX_PENDING = 4096;
    private static final int MAX_BODY = 2 + 4096 * 3 + 8 + 1 + 4 + MessageHeaders.MAX_SIZE;

    /** Headers are as private as the messages they come from. */
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

    private static final Logger LOG = LoggerFactory.getLogger(HeaderCache.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One cached message; {@code crlfSize} is -1 when not known. */
    record Item(String key, long crlfSize, boolean truncated, byte[] header) {
        Item withKey(String other) {
            return new Item(other, crlfSize, truncated, header);
        }
    }

    private record Loc(long offset, int length, long crlfSize) {
    }

    private final Path dir;
    private final Path file;
    private final DiskOps disk;
    private final ConcurrentLinkedQueue<Item> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();

    // the file as last read; guarded by this
    private long generation;
    private boolean usable;
    private long validEnd;
    private long sizeSeen;
    private int records;
    /** Key → record; only while sessions read the folder (see {@link #dropIndex}), deliveries need no map. */
    private Map<String, Loc> index;
    private Set<String> keys;

    /** Who the folder's files belong to (system users); null = the server. */
    private final Supplier<Owner> owner;

    HeaderCache(Path dir, DiskOps disk) {
        this(dir, disk, () -> null);
    }

    HeaderCache(Path dir, DiskOps disk, Supplier<Owner> owner) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.disk = disk;
        this.owner = owner;
    }

    /** The cached entry, or null on a miss (absent, damaged, or the file was rewritten meanwhile). */
    Item lookup(String key) {
        Loc loc;
        synchronized (this) {
            try {
                if (index == null) {
                    index = new HashMap<>();
                    forget();
                }
                loc = index.get(key);
                if (loc == null) {
                    refresh();
                    loc = index.get(key);
                }
            } catch (IOException e) {
                return null;
            }
        }
        if (loc == null) return null;
        Item item;
        try {
            item = read(loc);
        } catch (IOException e) {
            item = null;
        }
        if (item == null || !item.key().equals(key)) {
            synchronized (this) {
                // rewritten by another process since we read it: read it afresh at the next miss
                forget();
            }
            return null;
        }
        return item;
    }

    /**
     * The CRLF size recorded for this key, or -1. Reads the file only to build the key map the
     * first time; a listing of thousands of messages must not reopen the file for each miss.
     */
    synchronized long crlfSize(String key) {
        if (index == null) {
            index = new HashMap<>();
            forget();
            try {
                refresh();
            } catch (IOException e) {
                return -1;
            }
        }
        Loc loc = index.get(key);
        return loc == null ? -1 : loc.crlfSize();
    }

    /** Queues a lazily parsed entry; true when enough are waiting that the caller should flush. */
    boolean offer(Item item) {
        if (pendingCount.get() >= MAX_PENDING) return true;
        pending.add(item);
        return pendingCount.incrementAndGet() >= FLUSH_AT;
    }

    boolean hasPending() {
        return pendingCount.get() > 0;
    }

    /**
     * Lets go of the key map when no session reads the folder any more. The position of the end
     * stays known, so the next delivery appends without reading the file again.
     */
    synchronized void dropIndex() {
        index = null;
        keys = null;
    }

    /** Appends these entries and any pending ones. The caller holds the folder's locks. */
    void write(List<Item> items) throws IOException {
        List<Item> all = new ArrayList<>(items);
        for (Item p; (p = pending.poll()) != null;) {
            pendingCount.decrementAndGet();
            all.add(p);
        }
        if (all.isEmpty()) return;
        synchronized (this) {
            refresh();
            if (!usable) {
                // a new file costs a delivery no fsync: a crash leaves at worst a file that fails its checks
                rewrite(all, false);
                return;
            }
            Set<String> seen = new HashSet<>();
            List<byte[]> encoded = new ArrayList<>();
            int total = 0;
            for (Item it : all) {
                if (known(it.key()) || !seen.add(it.key())) continue;
                byte[] rec = encode(it);
                if (rec == null) continue;
                encoded.add(rec);
                total += rec.length;
            }
            if (encoded.isEmpty()) return;
            ByteBuffer bb = ByteBuffer.allocate(total);
            encoded.forEach(bb::put);
            bb.flip();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                // a torn tail from a crash: cut it, the records after it would never be read
                if (ch.size() > validEnd) ch.truncate(validEnd);
                long pos = validEnd;
                while (bb.hasRemaining()) pos += ch.write(bb, pos);
            }
            long offset = validEnd;
            for (int i = 0; i < encoded.size(); i++) {
                byte[] rec = encoded.get(i);
                Item it = decode(rec, 0, rec.length);
                note(it.key(), new Loc(offset, rec.length, it.crlfSize()));
                offset += rec.length;
            }
            validEnd = offset;
            sizeSeen = offset;
        }
    }

    /**
     * Rewrites the file without the entries of messages that left the folder when they are more
     * than half of it. The caller holds the folder's locks; {@code live} are the keys in the index.
     */
    void compactIfMostlyDead(Collection<String> live) throws IOException {
        synchronized (this) {
            boolean borrowed = keys == null && index == null;
            if (borrowed) {
                keys = new HashSet<>();
                forget();
            }
            try {
                compact(live);
            } finally {
                // a delivery-side check keeps the counts, not the keys
                if (borrowed) keys = null;
            }
        }
    }

    private void compact(Collection<String> live) throws IOException {
        refresh();
        if (!usable || records == 0) return;
        Set<String> present = index != null ? index.keySet() : keys;
        List<String> keep = new ArrayList<>();
        for (String k : live) {
            if (present.contains(k)) keep.add(k);
        }
        int before = records;
        if ((before - keep.size()) * 2 <= before) return;
        List<Item> items = new ArrayList<>(keep.size());
        if (index == null) {
            // a delivery-side compaction: read the survivors in one pass instead of building the map
            Set<String> wanted = new HashSet<>(keep);
            scan(FILE_HEADER, (it, loc) -> {
                if (wanted.remove(it.key())) items.add(it);
            });
        } else {
            for (String k : keep) {
                Item it = read(index.get(k));
                if (it != null && it.key().equals(k)) items.add(it);
            }
        }
        rewrite(items, true);
        LOG.debug("compacted {}: kept {} of {} entries", file, items.size(), before);
    }

    private Item read(Loc loc) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.allocate(loc.length());
            while (bb.hasRemaining() && ch.read(bb, loc.offset() + bb.position()) > 0) {
                // until complete
            }
            return bb.hasRemaining() ? null : decode(bb.array(), 0, loc.length());
        }
    }

    /**
     * Writes a new generation (temp file, fsync when {@code durable}, rename), then reads it back
     * as the current state.
     */
    private void rewrite(List<Item> items, boolean durable) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Set<String> seen = new HashSet<>();
        // a leftover of a crash is ours (the locks are held): gone, so the new file gets the private mode
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(MODE))) {
            // the user's file like the rest of the Maildir, before the rename makes it visible
            AtomicFiles.own(tmp, owner.get());
            ByteBuffer head = ByteBuffer.allocate(FILE_HEADER);
            head.put(MAGIC).putLong(RANDOM.nextLong()).flip();
            while (head.hasRemaining()) ch.write(head);
            for (Item it : items) {
                if (!seen.add(it.key())) continue;
                byte[] rec = encode(it);
                if (rec == null) continue;
                ByteBuffer bb = ByteBuffer.wrap(rec);
                while (bb.hasRemaining()) ch.write(bb);
            }
            if (durable) disk.syncFile(tmp, ch);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temp file is overwritten by the next rewrite
            }
            throw e;
        }
        if (durable) {
            disk.move(tmp, file);
            disk.syncDirectory(dir);
        } else {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        forget();
        refresh();
    }

    private boolean known(String key) {
        if (index != null) return index.containsKey(key);
        return keys != null && keys.contains(key);
    }

    private void note(String key, Loc loc) {
        records++;
        if (index != null) index.put(key, loc);
        if (keys != null) keys.add(key);
    }

    /** Forgets what was read; the next refresh reads the file from its start. */
    private void forget() {
        generation = 0;
        usable = false;
        validEnd = 0;
        sizeSeen = -1;
        records = 0;
        if (index != null) index.clear();
        if (keys != null) keys.clear();
    }

    /** Reads what was appended since the last look, or the whole file when it is another generation. */
    private void refresh() throws IOException {
        long size;
        long gen;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(FILE_HEADER);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // until the header is complete
            }
            head.flip();
            byte[] magic = new byte[MAGIC.length];
            if (head.remaining() < FILE_HEADER) {
                unusable(size);
                return;
            }
            head.get(magic);
            gen = head.getLong();
            if (!Arrays.equals(magic, MAGIC)) {
                if (usable || sizeSeen != size) LOG.info("{} is not a cache this version wrote; it will be rebuilt", file);
                unusable(size);
                return;
            }
        } catch (NoSuchFileException e) {
            forget();
            return;
        }
        if (!usable || gen != generation) {
            forget();
            generation = gen;
            usable = true;
            validEnd = FILE_HEADER;
        } else if (size == sizeSeen) {
            return;
        }
        sizeSeen = size;
        long from = validEnd;
        long[] end = {from};
        scan(from, (it, loc) -> {
            note(it.key(), loc);
            end[0] = loc.offset() + loc.length();
        });
        validEnd = end[0];
    }

    private void unusable(long size) {
        forget();
        sizeSeen = size;
    }

    @FunctionalInterface
    private interface Visitor {
        void record(Item item, Loc loc);
    }

    /** Visits the good records from {@code from} up to the first bad or short one. */
    private void scan(long from, Visitor visitor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(from);
            InputStream raw = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            DataInputStream in = new DataInputStream(raw);
            long offset = from;
            while (true) {
                int magic;
                int n;
                try {
                    magic = in.readInt();
                    n = in.readInt();
                } catch (EOFException e) {
                    return;
                }
                if (magic != RECORD || n < 15 || n > MAX_BODY) return;
                byte[] rec = new byte[n + 12];
                ByteBuffer.wrap(rec).putInt(magic).putInt(n);
                try {
                    in.readFully(rec, 8, n + 4);
                } catch (EOFException e) {
                    return;
                }
                Item it = decode(rec, 0, rec.length);
                if (it == null) return;
                visitor.record(it, new Loc(offset, rec.length, it.crlfSize()));
                offset += rec.length;
            }
        } catch (NoSuchFileException e) {
            // removed meanwhile: nothing to read
        }
    }

    static byte[] encode(Item it) {
        byte[] key = it.key().getBytes(StandardCharsets.UTF_8);
        if (key.length > 4096 * 3 || it.header().length > MessageHeaders.MAX_SIZE) return null;
        int n = 2 + key.length + 8 + 1 + 4 + it.header().length;
        ByteBuffer bb = ByteBuffer.allocate(n + 12);
        bb.putInt(RECORD).putInt(n);
        bb.putShort((short) key.length).put(key).putLong(it.crlfSize()).put((byte) (it.truncated() ? 1 : 0));
        bb.putInt(it.header().length).put(it.header());
        CRC32C crc = new CRC32C();
        crc.update(bb.array(), 8, n);
        bb.putInt((int) crc.getValue());
        return bb.array();
    }

    /** The record at {@code b[off..off+len)}, or null when anything about it is wrong. */
    static Item decode(byte[] b, int off, int len) {
        if (len < 12 + 15) return null;
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        if (bb.getInt() != RECORD) return null;
        int n = bb.getInt();
        if (n < 15 || n != len - 12) return null;
        CRC32C crc = new CRC32C();
        crc.update(b, off + 8, n);
        if (ByteBuffer.wrap(b, off + 8 + n, 4).getInt() != (int) crc.getValue()) return null;
        int keyLength = bb.getShort() & 0xffff;
        if (keyLength == 0 || 2 + keyLength + 13 > n) return null;
        String key = new String(b, off + 10, keyLength, StandardCharsets.UTF_8);
        bb.position(off + 10 + keyLength);
        long crlfSize = bb.getLong();
        int flags = bb.get();
        int headerLength = bb.getInt();
        if (headerLength != n - 2 - keyLength - 13) return null;
        byte[] header = Arrays.copyOfRange(b, bb.position(), bb.position() + headerLength);
        return new Item(key, crlfSize, (flags & 1) != 0, header);
    }
}
