package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.mailhive.api.io.ParallelSteps;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.MessageHeaders;
import org.mailhive.api.store.MailboxLocation.Owner;

/**
 * One Maildir directory (INBOX or a {@code .A.B} folder) and its UID index. Every change to the
 * index happens with the in-process lock and {@code dovecot-uidlist.lock} held; appends waiting
 * for the lock are committed together (one index write and one directory fsync for the batch).
 * The fsyncs of a change run in two rounds: the message directories and the new index file at
 * the same time, then — after the index is renamed into place — the folder directory. A change
 * returns only after both, so whatever it reported (a UID, a stored message) is on disk; and the
 * index never becomes visible before the directory entries it names are durable.
 * Shared by every session of the store, so the caches here are per directory, not per session.
 */
final class FolderDir {

    /** The fsyncs of one batch run together (see ParallelSteps). */
    private static final ParallelSteps FSYNCS = new ParallelSteps("mailhive-maildir-fsync", 16);

    static final String NEW = "new";
    static final String CUR = "cur";
    static final String TMP = "tmp";

    /** A file found in new/ or cur/. */
    record Found(String sub, String filename) {
    }

    /** A message of a snapshot. */
    record Entry(long uid, String sub, String filename) {
        String key() {
            return MaildirNames.key(filename);
        }
    }

    record Snapshot(long uidValidity, long uidNext, TreeMap<Long, Entry> entries, Keywords keywords) {
    }

    /**
     * A message written to tmp/ and fsync'd (or hard-linked), waiting to enter the folder, with
     * its header for the cache when it was seen on the way (null otherwise).
     */
    record Staged(Path tmp, String key, Set<String> flags, HeaderCache.Item header) {
    }

    record Stored(long uid, String filename) {
    }

    private static final class Pending {
        final Staged staged;
        Path target;
        Stored result;
        Exception error;
        boolean done;

        Pending(Staged staged) {
            this.staged = staged;
        }
    }

    /** The index and listing while locked; {@link #relist} refreshes the listing after a rename race. */
    private final class Locked {
        final UidList list;
        private Keywords keywords;
        Map<String, Found> files;
        final Set<String> touched = new LinkedHashSet<>();
        /** Messages left the index: the header cache may be worth compacting. */
        boolean removed;

        Locked(UidList list, Map<String, Found> files) {
            this.list = list;
            this.files = files;
        }

        /** Read on first use: most appends carry no flags and need no keyword file. */
        Keywords keywords() throws IOException {
            if (keywords == null) keywords = Keywords.read(dir);
            return keywords;
        }

        Found relist(String key) throws IOException {
            files = listing();
            return files.get(key);
        }

        void saveKeywords() throws IOException {
            if (keywords != null && keywords.dirty()) keywords.write(dir, disk, owner);
        }
    }

    @FunctionalInterface
    private interface Action<T> {
        T run(Locked state) throws IOException;
    }

    private final Path dir;
    private final DiskOps disk;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    /** Sizes counted for names without ,W= and internal dates; keyed by the part that never changes. */
    private final Map<String, Long> countedSizes = new ConcurrentHashMap<>();
    /**
     * The index as this process last wrote or read it, with the identity of the file it came from
     * (inode, mtime, size): every writer renames a new file into place, so an unchanged identity
     * means an unchanged index and a busy folder is not re-parsed for every append. Used only
     * with {@link #lock} held.
     */
    private UidList cachedList;
    private List<Object> cachedStamp;
    final FolderCache cache;
    /**
     * Who the files this directory gets belong to (system users), or null for the server itself.
     * Set by whoever reaches the directory through a location; a directory is one user's.
     */
    private volatile Owner owner;
    /**
     * Deliveries found cur/ new/ tmp/ (and the root's) in place before: the next one skips the
     * three stats and notices a removed Maildir when its file cannot be created in tmp/.
     */
    volatile boolean complete;

    FolderDir(Path dir, DiskOps disk, Clock clock) {
        this.dir = dir;
        this.disk = disk;
        this.clock = clock;
        this.cache = new FolderCache(dir, disk, lock, this::owner);
    }

    Path path() {
        return dir;
    }

    Owner owner() {
        return owner;
    }

    void owner(Owner newOwner) {
        owner = newOwner;
    }

    DiskOps disk() {
        return disk;
    }

    boolean exists() {
        return Files.isDirectory(dir.resolve(CUR)) || Files.isDirectory(dir.resolve(NEW));
    }

    Path file(Entry e) {
        return dir.resolve(e.sub()).resolve(e.filename());
    }

    /** The folder as it is now; assigns UIDs to messages another program put there. */
    Snapshot scan() throws IOException {
        Map<String, Found> files = listing();
        UidList list = UidList.read(dir);
        if (list != null && allKnown(files, list)) return snapshot(list, files, Keywords.read(dir));
        return locked(true, st -> snapshot(st.list, st.files, st.keywords()));
    }

    private static boolean allKnown(Map<String, Found> files, UidList list) {
        for (String key : files.keySet()) {
            if (list.uidOf(key) == null) return false;
        }
        return true;
    }

    private static Snapshot snapshot(UidList list, Map<String, Found> files, Keywords keywords) {
        TreeMap<Long, Entry> entries = new TreeMap<>();
        list.entries().forEach((uid, key) -> {
            Found f = files.get(key);
            if (f != null) entries.put(uid, new Entry(uid, f.sub(), f.filename()));
        });
        return new Snapshot(list.uidValidity(), list.nextUid(), entries, keywords);
    }

    private Map<String, Found> listing() throws IOException {
        return MaildirNames.listing(dir);
    }

    private <T> T locked(Action<T> action) throws IOException {
        return locked(true, action);
    }

    /**
     * Runs an index change with both locks held. With {@code scan} the directory is listed and
     * reconciled with the index first; appends skip that (they only add names they created),
     * except when the index is new, so that messages already there get the lower UIDs.
     */
    private <T> T locked(boolean scan, Action<T> action) throws IOException {
        lock.lock();
        try (DotLock dot = DotLock.acquire(dir, owner)) {
            UidList list = readIndex();
            boolean fresh = list == null;
            if (fresh) list = UidList.create(clock.instant().getEpochSecond());
            // the cache is dropped while changing: if anything fails, the next operation reads the file
            cachedList = null;
            Locked st = new Locked(list, scan || fresh ? listing() : Map.of());
            if (scan || fresh) reconcile(st);
            T result = action.run(st);
            st.saveKeywords();
            // still under the dot lock, which publishing the index below releases
            if (st.removed) cache.compact(list.entries().values());
            // the renames in new/ and cur/ and the index change are independent: synced at the
            // same time. Only new messages: their lines are appended to the index in place, as
            // Dovecot appends, durable when the lock goes. Anything else: the new index is written
            // whole into the lock file (invisible) and renamed over the old one once durable.
            List<ParallelSteps.Step> steps = new ArrayList<>();
            for (String sub : st.touched) steps.add(() -> disk.syncDirectory(dir.resolve(sub)));
            byte[] appendix = list.appendix();
            byte[] rendered = appendix == null && list.dirty() ? list.render() : null;
            UidList index = list;
            if (appendix != null) steps.add(() -> index.append(dir, appendix, disk));
            if (rendered != null) steps.add(() -> dot.prepare(rendered, disk));
            FSYNCS.together(steps);
            if (appendix != null) list.appended(appendix);
            if (rendered != null) {
                dot.publish(disk);
                disk.syncDirectory(dir);
                list.written(rendered);
            }
            cachedStamp = stamp();
            cachedList = list;
            return result;
        } finally {
            lock.unlock();
        }
    }

    private UidList readIndex() throws IOException {
        List<Object> now = stamp();
        if (cachedList != null && now != null && now.equals(cachedStamp)) return cachedList;
        return UidList.read(dir);
    }

    private List<Object> stamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(dir.resolve(UidList.FILE), BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** New files get UIDs in name order; entries whose file is gone (checked twice) leave the index. */
    private void reconcile(Locked st) throws IOException {
        List<String> unknown = new ArrayList<>();
        for (Found f : st.files.values()) {
            if (st.list.uidOf(MaildirNames.key(f.filename())) == null) unknown.add(f.filename());
        }
        Collections.sort(unknown);
        for (String name : unknown) st.list.add(MaildirNames.key(name));
        List<Long> missing = new ArrayList<>();
        st.list.entries().forEach((uid, key) -> {
            if (!st.files.containsKey(key)) missing.add(uid);
        });
        if (missing.isEmpty()) return;
        Map<String, Found> again = listing();
        for (long uid : missing) {
            String key = st.list.entries().get(uid);
            Found f = again.get(key);
            if (f == null) {
                st.list.remove(uid);
                st.removed = true;
            } else {
                st.files.put(key, f);
            }
        }
    }

    /** Moves a staged message into the folder and gives it a UID; concurrent callers share one index write. */
    Stored commit(Staged staged) throws IOException {
        return commitAll(List.of(staged)).get(0);
    }

    List<Stored> commitAll(List<Staged> staged) throws IOException {
        List<Pending> mine = new ArrayList<>(staged.size());
        for (Staged s : staged) {
            Pending p = new Pending(s);
            mine.add(p);
            pending.add(p);
        }
        lock.lock();
        try {
            // a thread that held the lock before us may have committed ours with its batch
            if (!mine.get(mine.size() - 1).done) runBatch();
        } finally {
            lock.unlock();
        }
        List<Stored> out = new ArrayList<>(mine.size());
        for (Pending p : mine) {
            if (p.error != null) throw new IOException("maildir append to " + dir + " failed: " + p.error, p.error);
            out.add(p.result);
        }
        return out;
    }

    private void runBatch() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; (p = pending.poll()) != null;) batch.add(p);
        if (batch.isEmpty()) return;
        try {
            locked(false, st -> {
                List<String> letters = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    Set<String> flags = p.staged.flags();
                    letters.add(flags.isEmpty() ? "" : MaildirNames.letters(flags, st.keywords(), ""));
                }
                // letters must name keywords already on disk before a file carrying them appears
                st.saveKeywords();
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    String l = letters.get(i);
                    String sub = l.isEmpty() ? NEW : CUR;
                    String name = l.isEmpty() ? p.staged.key() : p.staged.key() + MaildirNames.INFO + l;
                    Path target = dir.resolve(sub).resolve(name);
                    disk.move(p.staged.tmp(), target);
                    p.target = target;
                    st.touched.add(sub);
                    p.result = new Stored(st.list.add(p.staged.key()), name);
                }
                List<HeaderCache.Item> headers = new ArrayList<>();
                for (Pending p : batch) {
                    if (p.staged.header() != null) headers.add(p.staged.header().withKey(p.staged.key()));
                }
                cache.write(headers);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            for (Pending p : batch) {
                p.error = e;
                if (p.target != null) {
                    try {
                        // back to tmp/: the caller removes it, and a retry will not make a duplicate
                        disk.move(p.target, p.staged.tmp());
                    } catch (IOException | RuntimeException ignored) {
                        // left in the folder: better a message without a UID yet than a lost one
                    }
                }
            }
        } finally {
            for (Pending p : batch) p.done = true;
        }
    }

    /** Renames changed messages to their new info suffix; returns how many changed. */
    int setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) throws IOException {
        return locked(st -> {
            Map<String, String> renames = new HashMap<>();
            for (long uid : new TreeSet<>(uids)) {
                String key = st.list.entries().get(uid);
                Found f = key == null ? null : st.files.get(key);
                if (f == null) continue;
                String info = MaildirNames.info(f.filename());
                Set<String> next = MaildirNames.apply(MaildirNames.flags(info, st.keywords()), flags, mode);
                String letters = MaildirNames.letters(next, st.keywords(), info);
                if (letters.equals(info) && (f.sub().equals(CUR) || letters.isEmpty())) continue;
                renames.put(key, letters);
            }
            st.saveKeywords();
            int changed = 0;
            for (Map.Entry<String, String> r : renames.entrySet()) {
                if (rename(st, r.getKey(), r.getValue())) changed++;
            }
            return changed;
        });
    }

    /** Another session may rename the same file meanwhile: on NoSuchFile, look it up once more. */
    private boolean rename(Locked st, String key, String letters) throws IOException {
        Path target = dir.resolve(CUR).resolve(key + MaildirNames.INFO + letters);
        Found f = st.files.get(key);
        for (int attempt = 0; attempt < 2 && f != null; attempt++) {
            try {
                disk.move(dir.resolve(f.sub()).resolve(f.filename()), target);
                st.touched.add(f.sub());
                st.touched.add(CUR);
                return true;
            } catch (NoSuchFileException e) {
                f = st.relist(key);
            }
        }
        return false;
    }

    /** Unlinks these messages and drops them from the index; returns the UIDs this call removed. */
    List<Long> delete(Collection<Long> uids) throws IOException {
        return locked(st -> {
            List<Long> removed = new ArrayList<>();
            for (long uid : new TreeSet<>(uids)) {
                String key = st.list.entries().get(uid);
                if (key != null && unlink(st, key)) removed.add(uid);
                if (key != null) {
                    st.list.remove(uid);
                    st.removed = true;
                }
            }
            return removed;
        });
    }

    List<Long> expunge() throws IOException {
        return locked(st -> {
            List<Long> removed = new ArrayList<>();
            for (Map.Entry<Long, String> e : new ArrayList<>(st.list.entries().entrySet())) {
                Found f = st.files.get(e.getValue());
                if (f == null || MaildirNames.info(f.filename()).indexOf('T') < 0) continue;
                if (unlink(st, e.getValue())) removed.add(e.getKey());
                st.list.remove(e.getKey());
                st.removed = true;
            }
            return removed;
        });
    }

    private boolean unlink(Locked st, String key) throws IOException {
        Found f = st.files.get(key);
        for (int attempt = 0; attempt < 2 && f != null; attempt++) {
            try {
                Files.delete(dir.resolve(f.sub()).resolve(f.filename()));
                st.touched.add(f.sub());
                return true;
            } catch (NoSuchFileException e) {
                f = st.relist(key);
            }
        }
        return false;
    }

    /** Size with CRLF line endings: from ,W= when the name has it, else counted once and remembered. */
    long crlfSize(Entry e) throws IOException {
        String key = e.key();
        long w = MaildirNames.sizeField(key, 'W');
        if (w >= 0) return w;
        Long known = countedSizes.get(key);
        if (known != null) return known;
        long cached = cache.crlfSize(key);
        if (cached >= 0) {
            countedSizes.put(key, cached);
            return cached;
        }
        // the whole file is read anyway: its header goes to the cache on the way
        HeaderCapture capture = new HeaderCapture();
        long counted = CrlfInputStream.countCrlfSize(file(e), capture);
        countedSizes.put(key, counted);
        cache.remember(new HeaderCache.Item(key, counted, capture.truncated(), capture.header()));
        return counted;
    }

    /** The header of a message: from the cache, else read from its file (NoSuchFileException when renamed). */
    MessageHeaders headers(Entry e) throws IOException {
        String key = e.key();
        long size = MaildirNames.sizeField(key, 'W');
        if (size < 0) size = countedSizes.getOrDefault(key, -1L);
        return cache.headers(file(e), key, size);
    }

    /** The cached header only, for copies that share the bytes; null on a miss. */
    HeaderCache.Item cachedHeader(Entry e) {
        return cache.cached(e.key());
    }

    void retain() {
        cache.retain();
    }

    /** The last session let go: what was parsed is written and the cache's key map dropped. */
    void release() {
        cache.release();
    }

    Instant internalDate(Entry e) throws IOException {
        return Files.getLastModifiedTime(file(e)).toInstant();
    }
}
