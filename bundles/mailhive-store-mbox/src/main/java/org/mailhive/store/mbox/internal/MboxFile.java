package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.mailhive.api.mail.MessageContent;

/**
 * One mbox file as this JVM shares it: an in-process lock taken before the file locks, the parsed
 * offsets (reused while the file's inode, size and mtime are unchanged, extended in place after
 * our own appends) and the UID index. Every method takes the locks itself.
 */
final class MboxFile {

    /** What a rewrite should do: messages to drop, and new flags for others. */
    record Plan(Set<Long> delete, java.util.Map<Long, Set<String>> flags) {
        boolean isEmpty() {
            return delete.isEmpty() && flags.isEmpty();
        }
    }

    interface Planner {
        Plan plan(Snapshot snapshot);
    }

    private record Parsed(Object fileKey, long size, long mtimeNanos, List<ParsedMessage> messages) {
        boolean matches(Stamp s) {
            return s != null && s.size == size && s.mtimeNanos == mtimeNanos && Objects.equals(s.fileKey, fileKey);
        }
    }

    private record Stamp(Object fileKey, long size, long mtimeNanos) {
    }

    final Path path;
    private final Path indexPath;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.Queue<FileChannel> pendingClose = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Parsed parsed;
    private UidIndex index;
    private Stamp indexStamp;
    private boolean indexLoaded;
    private Snapshot snapshot;
    private int users;
    /** Where this file's mailbox is and who owns it, as the last caller's location said; null until one did. */
    private volatile MboxLayout layout;

    MboxFile(Path path) {
        this.path = path;
        this.indexPath = UidIndex.pathFor(path);
    }

    void layout(MboxLayout newLayout) {
        layout = newLayout;
    }

    /** A folder keeps the parsed offsets cached while it is open; the last one to close drops them. */
    void retain() {
        lock.lock();
        try {
            users++;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            if (--users <= 0) {
                users = 0;
                parsed = null;
                snapshot = null;
                index = null;
                indexLoaded = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Creates the file (0600, parent directories 0700) when missing; true when it was created. */
    boolean create() throws IOException {
        if (Files.exists(path)) return false;
        Path dir = path.getParent();
        MboxLayout l = layout;
        MboxOwner.createDirectories(dir, l);
        if (l != null && l.owner() != null) {
            boolean created = MboxOwner.createMbox(path, l);
            Durability.syncDirectory(dir);
            return created;
        }
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        Durability.syncDirectory(dir);
        return true;
    }

    Snapshot snapshot(MboxEnv env) throws IOException {
        enter(env);
        try (MboxLock l = MboxLock.shared(path, env.lockTimeout())) {
            return snapshotLocked(l.channel(), env);
        } finally {
            unlock();
        }
    }

    /** Streams one message; the stream reads the file as it was when opened, even after a rewrite. */
    InputStream open(long uid, MboxEnv env) throws IOException {
        enter(env);
        try {
            MboxLock l = MboxLock.shared(path, env.lockTimeout());
            Snapshot.Message m;
            try {
                m = snapshotLocked(l.channel(), env).find(uid);
            } catch (IOException | RuntimeException e) {
                l.close();
                throw e;
            }
            if (m == null) {
                l.close();
                throw new NoSuchFileException(path + " UID " + uid);
            }
            FileChannel ch = l.releaseKeepingChannel();
            ParsedMessage p = m.parsed();
            return new MessageStream(new ChannelRegionStream(ch, p.headerOffset(), p.endOffset()), p.headerOffset(),
                    () -> closeChannel(ch));
        } finally {
            unlock();
        }
    }

    /**
     * Closing a descriptor drops every fcntl lock the process holds on the file, so a reader's
     * channel is only closed while no other thread of this JVM can be holding one.
     */
    private void closeChannel(FileChannel ch) throws IOException {
        // never wait here: the stream may be closed by a thread that holds another file's lock
        pendingClose.add(ch);
        if (lock.tryLock()) unlock();
    }

    /** Unlocks after closing the channels readers gave back meanwhile, while no fcntl lock is held. */
    private void unlock() {
        try {
            FileChannel ch;
            // an inner hold (a copy into the same folder) may sit inside an fcntl lock of this thread
            while (lock.getHoldCount() == 1 && (ch = pendingClose.poll()) != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // a read-only channel has nothing to lose on close
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Appends for delivery: no UID work (readers number new messages when they next look). */
    long append(MessageContent content, Set<String> flags, Instant date, MboxEnv env) throws IOException {
        enter(env);
        try {
            create();
            try (MboxLock l = MboxLock.exclusive(path, env.lockTimeout(), env.staleAfter(), layout)) {
                return appendLocked(l.channel(), content, flags, date, env);
            }
        } finally {
            unlock();
        }
    }

    /** Appends and returns the new message's UID. */
    long appendWithUid(MessageContent content, Set<String> flags, Instant date, MboxEnv env) throws IOException {
        enter(env);
        try {
            create();
            try (MboxLock l = MboxLock.exclusive(path, env.lockTimeout(), env.staleAfter(), layout)) {
                appendLocked(l.channel(), content, flags, date, env);
                List<Snapshot.Message> all = snapshotLocked(l.channel(), env).messages();
                return all.get(all.size() - 1).uid();
            }
        } finally {
            unlock();
        }
    }

    private long appendLocked(FileChannel ch, MessageContent content, Set<String> flags, Instant date, MboxEnv env)
            throws IOException {
        long end = ch.size();
        boolean cached = parsed != null && parsed.matches(stamp(path));
        snapshot = null;
        long fromOffset;
        try {
            fromOffset = MboxWriter.append(ch, end, content, flags, date == null ? env.clock().instant() : date,
                    env.zone());
            ch.force(true);
        } catch (IOException | RuntimeException | Error e) {
            parsed = null;
            try {
                ch.truncate(end);
                ch.force(true);
            } catch (IOException t) {
                e.addSuppressed(t);
            }
            if (e instanceof RuntimeException) throw new IOException("mbox append failed: " + e, e);
            throw e;
        }
        if (cached && fromOffset == end) {
            List<ParsedMessage> all = new ArrayList<>(parsed.messages());
            all.addAll(MboxScanner.scan(ch, end, ch.size(), env.zone(), env.clock().instant()));
            Stamp now = stamp(path);
            parsed = now == null ? null : new Parsed(now.fileKey, now.size, now.mtimeNanos, List.copyOf(all));
        } else {
            parsed = null;
        }
        return fromOffset;
    }

    /** Rewrites the file under the locks when the plan changes anything; returns the UIDs removed. */
    List<Long> rewrite(Planner planner, MboxEnv env) throws IOException {
        enter(env);
        try {
            if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
            try (MboxLock l = MboxLock.exclusive(path, env.lockTimeout(), env.staleAfter(), layout)) {
                FileChannel ch = l.channel();
                Snapshot snap = snapshotLocked(ch, env);
                Plan plan = planner.plan(snap);
                if (plan.isEmpty()) return List.of();
                Path tmp = path.resolveSibling("." + path.getFileName() + ".mailhive-rewrite");
                List<Long> removed = new ArrayList<>();
                List<Snapshot.Message> kept = new ArrayList<>();
                // a leftover (or a link someone planted) goes; the new file is created, never opened
                Files.deleteIfExists(tmp);
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    MboxRewriter.copy(ch, ch.size(), snap, plan, out, removed, kept);
                    out.force(true);
                    FileOwnership.copy(path, tmp);
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                Durability.syncDirectory(path.getParent());
                parsed = null;
                snapshot = null;
                saveSurvivors(snap, kept);
                return removed;
            }
        } finally {
            unlock();
        }
    }

    /** Duplicated fingerprints must keep their UIDs in order, so the index is told who survived. */
    private void saveSurvivors(Snapshot snap, List<Snapshot.Message> kept) throws IOException {
        long[] uids = new long[kept.size()];
        List<String> fps = new ArrayList<>(kept.size());
        for (int i = 0; i < uids.length; i++) {
            uids[i] = kept.get(i).uid();
            fps.add(kept.get(i).parsed().fingerprint());
        }
        UidIndex base = index != null ? index : new UidIndex(snap.uidValidity(), snap.uidNext(), List.of());
        index = base.withEntries(uids, fps);
        index.save(indexPath, layout);
        indexStamp = stamp(indexPath);
        indexLoaded = true;
    }

    private Snapshot snapshotLocked(FileChannel ch, MboxEnv env) throws IOException {
        Stamp st = stamp(path);
        if (parsed == null || !parsed.matches(st)) {
            long size = ch.size();
            List<ParsedMessage> msgs = MboxScanner.scan(ch, 0, size, env.zone(), mtime(st));
            parsed = st == null ? new Parsed(null, -1, -1, msgs) : new Parsed(st.fileKey, st.size, st.mtimeNanos, msgs);
            snapshot = null;
        }
        Stamp is = stamp(indexPath);
        if (!indexLoaded || !Objects.equals(is, indexStamp)) {
            index = UidIndex.load(indexPath);
            indexStamp = is;
            indexLoaded = true;
            snapshot = null;
        }
        if (snapshot == null) {
            List<ParsedMessage> msgs = parsed.messages();
            List<String> fps = new ArrayList<>(msgs.size());
            for (ParsedMessage m : msgs) fps.add(m.fingerprint());
            UidIndex.Result r = UidIndex.reconcile(index, fps, env.clock().instant().getEpochSecond());
            if (r.changed()) {
                r.index().save(indexPath, layout);
                indexStamp = stamp(indexPath);
            }
            index = r.index();
            List<Snapshot.Message> list = new ArrayList<>(msgs.size());
            for (int i = 0; i < msgs.size(); i++) list.add(new Snapshot.Message(r.uids()[i], msgs.get(i)));
            snapshot = new Snapshot(index.uidValidity, index.uidNext, list);
        }
        return snapshot;
    }

    private void enter(MboxEnv env) throws IOException {
        try {
            if (!lock.tryLock(env.lockTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("mailbox busy in this process: " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for " + path);
        }
    }

    private static Stamp stamp(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Instant mtime(Stamp s) {
        return s == null ? Instant.EPOCH : Instant.ofEpochSecond(0, s.mtimeNanos);
    }
}
