package org.mailhive.queue.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailhive.api.queue.QueueAdmin;
import org.mailhive.api.queue.QueueEntry;
import org.mailhive.api.queue.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's actions (Postfix's mailq, postqueue -f, postsuper -d/-h/-H/-r) on the queue
 * files. Every change is one atomic rename, so the queue manager, which only renames too, sees a
 * message in exactly one place. A message in {@code active/} belongs to a delivery pass: with the
 * queue manager running it is only marked, and the pass applies the mark when it ends.
 */
final class QueueAdminOps implements QueueAdmin {

    /** What the running queue manager adds to the file operations. */
    interface Hooks {
        /** Asks the pass working on this message to apply a mark when it ends; false when none is running. */
        boolean mark(String id, String mark);

        /** Forgets a mark that was not needed after all. */
        void unmark(String id);

        /** Messages were put into incoming/: schedule them. */
        void scheduled();
    }

    /** No queue manager: {@code active/} holds only interrupted passes and is handled like the others. */
    static final Hooks OFFLINE = new Hooks() {
        @Override
        public boolean mark(String id, String mark) {
            return false;
        }

        @Override
        public void unmark(String id) {
        }

        @Override
        public void scheduled() {
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(QueueAdminOps.class);
    private static final Logger POSTSUPER = LoggerFactory.getLogger("mail.postsuper");
    private static final int HEADER_LIMIT = 1 << 20;

    private final QueueDirectory dirs;
    private final Hooks hooks;

    QueueAdminOps(QueueDirectory dirs, Hooks hooks) {
        this.dirs = dirs;
        this.hooks = hooks;
    }

    /** Where messages can be: the maildrop too, so mailq shows what sendmail left while the server was down. */
    private List<Path> queues() {
        return List.of(dirs.maildrop, dirs.incoming, dirs.active, dirs.deferred, dirs.hold);
    }

    @Override
    public List<QueueEntry> list() throws IOException {
        List<QueueEntry> out = new ArrayList<>();
        for (Path q : queues()) {
            for (String id : dirs.list(q)) {
                QueueEntry e = entry(q, id);
                if (e != null) out.add(e);
            }
        }
        out.sort(Comparator.comparing(QueueEntry::arrival).thenComparing(e -> e.id().value(), QueueIds::compare));
        return out;
    }

    /** The entry of one message, or null when it moved or vanished meanwhile. */
    private QueueEntry entry(Path queue, String id) {
        Path dir = queue.resolve(id);
        QueueId qid;
        try {
            qid = new QueueId(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            QueueDirectory.Entry read = dirs.read(dir);
            QueueFile f = read.file();
            long size = read.content().size();
            List<QueueEntry.Pending> pending = new ArrayList<>();
            for (QueuedRecipient r : f.recipients()) {
                if (r.status().open()) {
                    pending.add(new QueueEntry.Pending(r.recipient().address(), r.reason()));
                } else if (r.status() == RecipientStatus.BOUNCING) {
                    pending.add(new QueueEntry.Pending(r.recipient().address(),
                            "undeliverable, notice to sender pending: " + r.reason()));
                }
            }
            return new QueueEntry(qid, queue.getFileName().toString(), size, f.arrival(), f.sender(), pending,
                    f.nextTry());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("{}: cannot read for the queue listing: {}", id, e.toString());
            return null;
        }
    }

    @Override
    public Optional<QueueEntry> show(QueueId id) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            for (Path q : queues()) {
                if (!Files.isDirectory(q.resolve(id.value()))) continue;
                QueueEntry e = entry(q, id.value());
                if (e != null) return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> headers(QueueId id) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            for (Path q : queues()) {
                try (InputStream in = new BufferedInputStream(dirs.read(q.resolve(id.value())).content().openStream())) {
                    return Optional.of(readHeaders(in));
                } catch (NoSuchFileException e) {
                    // not in this queue (or moved on just now)
                }
            }
        }
        return Optional.empty();
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        int c;
        while ((c = in.read()) >= 0 && out.size() < HEADER_LIMIT) {
            if (lineStart && (c == '\r' || c == '\n')) break;
            out.write(c);
            lineStart = c == '\n';
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int flush(String domainOrNull) throws IOException {
        String domain = domainOrNull == null || domainOrNull.isBlank() ? null
                : domainOrNull.trim().toLowerCase(Locale.ROOT);
        int moved = 0;
        for (String id : dirs.list(dirs.deferred)) {
            if (domain != null && !hasOpenRecipientIn(dirs.deferred.resolve(id), domain)) continue;
            if (dirs.move(dirs.deferred, dirs.incoming, id)) moved++;
        }
        if (moved > 0) {
            dirs.ops.fsyncDirectory(dirs.incoming);
            hooks.scheduled();
        }
        return moved;
    }

    private boolean hasOpenRecipientIn(Path dir, String domain) {
        try {
            for (QueuedRecipient r : dirs.readEnvelope(dir).recipients()) {
                if (r.status().open() && r.recipient().address().domain().equals(domain)) return true;
            }
        } catch (IOException e) {
            // moved or unreadable: not flushed by domain
        }
        return false;
    }

    @Override
    public int delete(List<String> ids) throws IOException {
        int n = 0;
        for (Map.Entry<String, Path> t : targets(ids).entrySet()) {
            if (deleteOne(t.getKey(), t.getValue())) n++;
        }
        return n;
    }

    /** The queues to look in, the one where the message was seen first. */
    private List<Path> inOrder(Path hint) {
        if (hint == null) return queues();
        List<Path> out = new ArrayList<>(queues());
        out.remove(hint);
        out.add(0, hint);
        return out;
    }

    /** A message directory holds only our few files: removing them by name beats walking the tree. */
    private static void removeMessageDir(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir.resolve(QueueEntryFile.NAME));
            Files.deleteIfExists(dir.resolve(QueueDirectory.MESSAGE));
            Files.deleteIfExists(dir.resolve(QueueDirectory.ENVELOPE));
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            QueueDirectory.deleteTree(dir);
        }
    }

    private boolean deleteOne(String id, Path hint) throws IOException {
        Path trash = dirs.tmp.resolve(id + ".deleted");
        for (int attempt = 0; attempt < 3; attempt++) {
            for (Path q : inOrder(hint)) {
                if (q == dirs.active && hooks.mark(id, DeliveryPass.MARK_DELETE)) {
                    if (Files.exists(q.resolve(id))) {
                        POSTSUPER.info("{}: will be removed when its delivery attempt ends", id);
                        return true;
                    }
                    hooks.unmark(id);
                    continue;
                }
                // out of every queue in one rename, then removed at leisure (tmp/ is swept at start)
                try {
                    dirs.ops.move(q.resolve(id), trash);
                } catch (NoSuchFileException e) {
                    continue;
                }
                removeMessageDir(trash);
                POSTSUPER.info("{}: removed", id);
                return true;
            }
        }
        return false;
    }

    @Override
    public int hold(List<String> ids) throws IOException {
        int n = 0;
        for (String id : targets(ids).keySet()) {
            boolean done = false;
            for (int attempt = 0; attempt < 3 && !done; attempt++) {
                for (Path q : List.of(dirs.incoming, dirs.deferred, dirs.active)) {
                    if (q == dirs.active && hooks.mark(id, DeliveryPass.MARK_HOLD)) {
                        if (Files.exists(q.resolve(id))) {
                            done = true;
                            break;
                        }
                        hooks.unmark(id);
                        continue;
                    }
                    if (dirs.move(q, dirs.hold, id)) {
                        done = true;
                        break;
                    }
                }
            }
            if (done) {
                POSTSUPER.info("{}: placed on hold", id);
                n++;
            }
        }
        if (n > 0) dirs.ops.fsyncDirectory(dirs.hold);
        return n;
    }

    @Override
    public int release(List<String> ids) throws IOException {
        int n = 0;
        for (String id : targets(ids).keySet()) {
            if (dirs.move(dirs.hold, dirs.incoming, id)) {
                POSTSUPER.info("{}: released from hold", id);
                n++;
            }
        }
        if (n > 0) {
            dirs.ops.fsyncDirectory(dirs.incoming);
            hooks.scheduled();
        }
        return n;
    }

    /**
     * Starts a message's retries afresh: attempt count and backoff reset, tried now. Deferred
     * messages pass through hold/ while their envelope is rewritten, where no pass can pick them up;
     * a crash in between leaves them on hold, never lost.
     */
    @Override
    public int requeue(List<String> ids) throws IOException {
        int n = 0;
        for (String id : targets(ids).keySet()) {
            if (!dirs.move(dirs.deferred, dirs.hold, id) && !Files.isDirectory(dirs.hold.resolve(id))) continue;
            Path dir = dirs.hold.resolve(id);
            try {
                QueueFile f = dirs.readEnvelope(dir);
                dirs.replaceEnvelope(dir, f.withAttempt(0, f.arrival(), f.lastReason()), f.arrival());
            } catch (IOException e) {
                LOG.warn("{}: envelope not reset: {}", id, e.toString());
            }
            if (dirs.move(dirs.hold, dirs.incoming, id)) {
                POSTSUPER.info("{}: requeued", id);
                n++;
            }
        }
        if (n > 0) {
            dirs.ops.fsyncDirectory(dirs.incoming);
            hooks.scheduled();
        }
        return n;
    }

    /**
     * The ids named, or every queued id for {@code ALL}, each with the queue it was seen in (null
     * when only named); names that are no queue id are skipped.
     */
    private Map<String, Path> targets(List<String> ids) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String id : ids) {
            if (ALL.equalsIgnoreCase(id)) {
                for (Path q : queues()) {
                    for (String found : dirs.list(q)) out.put(found, q);
                }
            } else {
                out.putIfAbsent(id.toUpperCase(Locale.ROOT), null);
            }
        }
        out.keySet().removeIf(id -> !validId(id));
        return out;
    }

    static boolean validId(String id) {
        try {
            new QueueId(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
