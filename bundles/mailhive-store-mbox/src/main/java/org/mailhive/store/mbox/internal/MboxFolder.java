package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.MessageInfo;

/** One open mbox folder; every call re-checks the file and sees changes made by other programs. */
final class MboxFolder implements Folder {

    private final MboxMailbox mailbox;
    private final String name;
    private final MboxFile file;
    private volatile long uidValidity;
    private boolean closed;

    MboxFolder(MboxMailbox mailbox, String name, MboxFile file) throws IOException {
        this.mailbox = mailbox;
        this.name = name;
        this.file = file;
        file.retain();
        try {
            this.uidValidity = load().uidValidity();
        } catch (IOException | RuntimeException e) {
            file.release();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    /** INBOX always exists: mutt and others delete an mbox file that became empty. */
    private Snapshot load() throws IOException {
        try {
            return file.snapshot(mailbox.env());
        } catch (NoSuchFileException e) {
            if (!MboxLayout.isInbox(name)) throw e;
            file.create();
            return file.snapshot(mailbox.env());
        }
    }

    private Snapshot snapshot() throws IOException {
        Snapshot s = load();
        uidValidity = s.uidValidity();
        return s;
    }

    @Override
    public long uidNext() throws IOException {
        return snapshot().uidNext();
    }

    @Override
    public List<MessageInfo> messages() throws IOException {
        return snapshot().infos();
    }

    @Override
    public InputStream open(long uid) throws IOException {
        return file.open(uid, mailbox.env());
    }

    @Override
    public long append(MessageContent content, Set<String> flags, Instant internalDate) throws IOException {
        long uid = file.appendWithUid(content, flags, internalDate, mailbox.env());
        mailbox.changed(name);
        return uid;
    }

    @Override
    public void setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) throws IOException {
        Set<Long> wanted = new HashSet<>(uids);
        Set<String> given = MboxFormat.normalize(flags);
        boolean[] changed = {false};
        file.rewrite(snap -> {
            Map<Long, Set<String>> changes = new HashMap<>();
            for (Snapshot.Message m : snap.messages()) {
                if (!wanted.contains(m.uid())) continue;
                Set<String> now = new TreeSet<>(m.parsed().flags());
                Set<String> next = new TreeSet<>(now);
                switch (mode) {
                    case REPLACE -> {
                        next.clear();
                        next.addAll(given);
                    }
                    case ADD -> next.addAll(given);
                    case REMOVE -> next.removeAll(given);
                }
                if (!next.equals(now)) changes.put(m.uid(), next);
            }
            changed[0] = !changes.isEmpty();
            return new MboxFile.Plan(Set.of(), changes);
        }, mailbox.env());
        if (changed[0]) mailbox.changed(name);
    }

    @Override
    public List<Long> delete(Collection<Long> uids) throws IOException {
        Set<Long> wanted = new HashSet<>(uids);
        List<Long> removed = file.rewrite(snap -> {
            Set<Long> delete = new HashSet<>();
            for (Snapshot.Message m : snap.messages()) {
                if (wanted.contains(m.uid())) delete.add(m.uid());
            }
            return new MboxFile.Plan(delete, Map.of());
        }, mailbox.env());
        if (!removed.isEmpty()) mailbox.changed(name);
        return removed;
    }

    @Override
    public List<Long> expunge() throws IOException {
        List<Long> removed = file.rewrite(snap -> {
            Set<Long> delete = new HashSet<>();
            for (Snapshot.Message m : snap.messages()) {
                if (m.parsed().flags().contains(MboxFormat.DELETED)) delete.add(m.uid());
            }
            return new MboxFile.Plan(delete, Map.of());
        }, mailbox.env());
        if (!removed.isEmpty()) mailbox.changed(name);
        return removed;
    }

    @Override
    public Map<Long, Long> copyTo(Collection<Long> uids, String target) throws IOException {
        Snapshot snap = snapshot();
        Set<Long> wanted = new TreeSet<>(uids);
        Map<Long, Long> copied = new LinkedHashMap<>();
        try (Folder to = mailbox.folder(target)) {
            for (long uid : wanted) {
                Snapshot.Message m = snap.find(uid);
                if (m == null) continue;
                // the source is opened before the target is locked, so copies in both
                // directions at once cannot wait for each other
                InputStream source;
                try {
                    source = file.open(uid, mailbox.env());
                } catch (NoSuchFileException e) {
                    continue;
                }
                try (InputStream in = source) {
                    copied.put(uid, to.append(new OneShotContent(in, m.parsed().size()), m.parsed().flags(),
                            m.parsed().internalDate()));
                }
            }
        }
        return copied;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        file.release();
    }
}
