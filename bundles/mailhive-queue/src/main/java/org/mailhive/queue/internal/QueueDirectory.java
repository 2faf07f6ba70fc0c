package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The queue on disk: one directory per message inside {@code tmp/ incoming/ active/ deferred/
 * hold/}, holding its {@link QueueEntryFile} and, once its delivery state changed, an
 * {@code envelope} that replaces the embedded one. A message changes state only by an atomic
 * rename of its directory, so after a crash it is in exactly one place. Messages queued before
 * the entry file existed ({@code message} + {@code envelope}) are read as they are.
 */
final class QueueDirectory {

    /** The message alone, in directories written before {@link QueueEntryFile}. */
    static final String MESSAGE = "message";
    static final String ENVELOPE = "envelope";
    private static final String ENVELOPE_TMP = "envelope.new";

    final Path root;
    final Path tmp;
    final Path incoming;
    final Path active;
    final Path deferred;
    final Path hold;
    final Path maildrop;
    /** Where {@code bin/mailhive queue} leaves requests for the running queue manager. */
    final Path requests;
    /** Held (exclusively locked) by the running queue manager, briefly by the offline command. */
    final Path lockFile;
    final DiskOps ops;
    /** Concurrent commits into incoming/ share its fsync (see {@link FileDraft}). */
    final GroupCommit incomingSync;
    /** Directories of delivered messages, reused for new ones (opened by the queue manager). */
    final EntryPool pool;

    QueueDirectory(Path root, DiskOps ops) {
        this.root = root;
        this.tmp = root.resolve("tmp");
        this.incoming = root.resolve("incoming");
        this.active = root.resolve("active");
        this.deferred = root.resolve("deferred");
        this.hold = root.resolve("hold");
        this.maildrop = root.resolve("maildrop");
        this.requests = root.resolve("requests");
        this.lockFile = root.resolve(".qmgr.lock");
        this.ops = ops;
        this.incomingSync = new GroupCommit(ops, incoming);
        this.pool = new EntryPool(root, ops, EntryPool.DEFAULT_LIMIT);
    }

    void createLayout() throws IOException {
        for (Path p : List.of(tmp, incoming, active, deferred, hold, requests)) {
            Files.createDirectories(p);
        }
        new Maildrop(root).create();
        try {
            // requests carry operator commands to the running queue manager: the operator's only
            Files.setPosixFilePermissions(requests, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the directory keeps its default mode
        }
    }

    /** Makes every new id sort after each message that is queued now, whatever the clock says. */
    void seed(QueueIds ids) throws IOException {
        for (Path q : List.of(incoming, active, deferred, hold)) {
            for (String id : list(q)) ids.after(id);
        }
    }

    /** True when a message with this id sits in any queue (a clock step back after restart could reuse one). */
    boolean inUse(String id) {
        for (Path q : List.of(incoming, active, deferred, hold)) {
            if (Files.exists(q.resolve(id))) return true;
        }
        return false;
    }

    /** Creates {@code tmp/<id>}, or returns false when that id is taken. */
    boolean claim(String id) throws IOException {
        if (inUse(id)) return false;
        try {
            Files.createDirectory(tmp.resolve(id));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Renames {@code from/<id>} to {@code to/<id>}; false when it is no longer in {@code from}. */
    boolean move(Path from, Path to, String id) throws IOException {
        try {
            ops.move(from.resolve(id), to.resolve(id));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Names of the message directories in a queue directory (none when it does not exist). */
    List<String> list(Path queue) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(queue)) {
            for (Path p : ds) out.add(p.getFileName().toString());
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    /**
     * The {@code limit} oldest ids in a queue directory that {@code skip} does not reject, read in
     * one streaming pass holding at most {@code limit} names: a backlog of any size costs no memory.
     */
    List<String> oldest(Path queue, int limit, Predicate<String> skip) throws IOException {
        if (limit <= 0) return List.of();
        PriorityQueue<String> newestFirst = new PriorityQueue<>(limit + 1, (a, b) -> QueueIds.compare(b, a));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(queue)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (skip.test(id)) continue;
                newestFirst.add(id);
                if (newestFirst.size() > limit) newestFirst.poll();
            }
        }
        List<String> out = new ArrayList<>(newestFirst);
        out.sort(QueueIds::compare);
        return out;
    }

    /**
     * A queued message as delivery sees it.
     * @param pristine as committed: one entry file and no envelope written since, so the
     *        directory can be reused for a new message as it is ({@link EntryPool})
     */
    record Entry(QueueFile file, FileContent content, boolean pristine) {
    }

    /** @throws NoSuchFileException when the directory holds no message (any more) */
    Entry read(Path msgDir) throws IOException {
        QueueFile written = null;
        try {
            written = decode(msgDir, Files.readString(msgDir.resolve(ENVELOPE), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            // as committed: the envelope is the one in the entry file
        }
        Path entry = msgDir.resolve(QueueEntryFile.NAME);
        try {
            QueueEntryFile.Read r = QueueEntryFile.read(entry);
            return new Entry(written != null ? written : r.file(), new FileContent(entry, r.contentOffset()),
                    written == null);
        } catch (NoSuchFileException e) {
            if (written == null) throw e;
            return new Entry(written, new FileContent(msgDir.resolve(MESSAGE), 0), false);
        }
    }

    QueueFile readEnvelope(Path msgDir) throws IOException {
        return read(msgDir).file();
    }

    private static QueueFile decode(Path msgDir, String text) throws IOException {
        try {
            return EnvelopeCodec.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt envelope in " + msgDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code envelope} so that a crash leaves either the old or the new one: write a
     * temporary file, fsync, rename over, fsync the directory. The file's mtime is set to
     * {@code mtimeHint} (the next try time) so a deferred scan can skip parsing it.
     */
    void replaceEnvelope(Path msgDir, QueueFile f, Instant mtimeHint) throws IOException {
        Path tmpFile = msgDir.resolve(ENVELOPE_TMP);
        writeFile(tmpFile, EnvelopeCodec.encode(f), mtimeHint);
        ops.move(tmpFile, msgDir.resolve(ENVELOPE));
        ops.fsyncDirectory(msgDir);
    }

    /** The next-try hint of a deferred message, or {@link Instant#EPOCH} when unreadable (try it now). */
    static Instant nextTryHint(Path msgDir) {
        try {
            return Files.getLastModifiedTime(msgDir.resolve(ENVELOPE)).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private void writeFile(Path file, String text, Instant mtime) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            if (mtime != null) Files.setLastModifiedTime(file, FileTime.from(mtime));
            ops.fsync(ch, file);
        }
    }

    /** Puts messages whose delivery was interrupted back into incoming/. */
    int recoverActive() throws IOException {
        int n = 0;
        for (String id : list(active)) {
            if (move(active, incoming, id)) n++;
        }
        if (n > 0) ops.fsyncDirectory(incoming);
        return n;
    }
}
