package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.MessageHeaders;
import org.mailhive.api.store.MessageInfo;

/** One session's view of a Maildir folder; every listing rescans, so other sessions' changes show. */
final class MaildirFolder implements Folder {

    private final MaildirMailbox mailbox;
    private final String name;
    private final FolderDir dir;
    private final long uidValidity;
    private volatile FolderDir.Snapshot last;
    private final AtomicBoolean closed = new AtomicBoolean();

    MaildirFolder(MaildirMailbox mailbox, String name, FolderDir dir) throws IOException {
        this.mailbox = mailbox;
        this.name = name;
        this.dir = dir;
        this.last = dir.scan();
        this.uidValidity = last.uidValidity();
        dir.retain();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    @Override
    public long uidNext() throws IOException {
        last = dir.scan();
        return last.uidNext();
    }

    @Override
    public List<MessageInfo> messages() throws IOException {
        FolderDir.Snapshot s = dir.scan();
        last = s;
        List<MessageInfo> out = new ArrayList<>(s.entries().size());
        for (FolderDir.Entry e : s.entries().values()) {
            try {
                out.add(new MessageInfo(e.uid(), dir.crlfSize(e),
                        MaildirNames.flags(MaildirNames.info(e.filename()), s.keywords()), dir.internalDate(e)));
            } catch (NoSuchFileException gone) {
                // renamed or removed by another session since the scan; the next listing shows it again or not
            }
        }
        return out;
    }

    @Override
    public InputStream open(long uid) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            FolderDir.Entry e = last.entries().get(uid);
            if (e != null) {
                try {
                    return new CrlfInputStream(Files.newInputStream(dir.file(e)));
                } catch (NoSuchFileException renamed) {
                    // a flag change elsewhere renamed it: rescan once below
                }
            }
            last = dir.scan();
        }
        throw new NoSuchFileException(name + " UID " + uid);
    }

    /** From the folder's header cache when it has the message, else read from the file and cached. */
    @Override
    public MessageHeaders headers(long uid) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            FolderDir.Entry e = last.entries().get(uid);
            if (e != null) {
                try {
                    return dir.headers(e);
                } catch (NoSuchFileException renamed) {
                    // a flag change elsewhere renamed it: rescan once below
                }
            }
            last = dir.scan();
        }
        throw new NoSuchFileException(name + " UID " + uid);
    }

    @Override
    public long append(MessageContent content, Set<String> flags, Instant internalDate) throws IOException {
        mailbox.ensure(dir);
        long uid = mailbox.store().write(dir, content, flags, internalDate).uid();
        mailbox.changed(name);
        return uid;
    }

    @Override
    public void setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) throws IOException {
        if (dir.setFlags(uids, flags, mode) > 0) mailbox.changed(name);
    }

    @Override
    public List<Long> delete(Collection<Long> uids) throws IOException {
        List<Long> removed = dir.delete(uids);
        if (!removed.isEmpty()) mailbox.changed(name);
        return removed;
    }

    @Override
    public List<Long> expunge() throws IOException {
        List<Long> removed = dir.expunge();
        if (!removed.isEmpty()) mailbox.changed(name);
        return removed;
    }

    /** Hard links into the target (same inode, same internal date), copying where links are not possible. */
    @Override
    public Map<Long, Long> copyTo(Collection<Long> uids, String target) throws IOException {
        FolderDir to = mailbox.existing(target);
        String targetName = mailbox.canonical(target);
        FolderDir.Snapshot s = dir.scan();
        last = s;
        List<Long> copied = new ArrayList<>();
        List<FolderDir.Staged> staged = new ArrayList<>();
        try {
            for (long uid : new TreeSet<>(uids)) {
                FolderDir.Entry e = s.entries().get(uid);
                if (e == null) continue;
                FolderDir.Staged st = stage(e, s, to);
                if (st == null) continue;
                staged.add(st);
                copied.add(uid);
            }
            Map<Long, Long> result = new LinkedHashMap<>();
            if (staged.isEmpty()) return result;
            List<FolderDir.Stored> stored = to.commitAll(staged);
            staged.clear();
            for (int i = 0; i < copied.size(); i++) result.put(copied.get(i), stored.get(i).uid());
            mailbox.changed(targetName);
            return result;
        } finally {
            for (FolderDir.Staged st : staged) Files.deleteIfExists(st.tmp());
        }
    }

    private FolderDir.Staged stage(FolderDir.Entry e, FolderDir.Snapshot s, FolderDir to) throws IOException {
        MaildirStore store = mailbox.store();
        String base = store.names().next(store.clock().instant());
        Path tmp = to.path().resolve(FolderDir.TMP).resolve(base);
        Path source = dir.file(e);
        try {
            Files.createLink(tmp, source);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (UnsupportedOperationException | IOException noLink) {
            try {
                Files.copy(source, tmp, StandardCopyOption.COPY_ATTRIBUTES);
            } catch (NoSuchFileException gone) {
                return null;
            }
            // a copy is a new file: it belongs to the target's owner before it enters the folder
            AtomicFiles.own(tmp, to.owner());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                to.disk().syncFile(tmp, ch);
            }
        }
        long size = Files.size(tmp);
        String key = UniqueNames.withSizes(base, size, dir.crlfSize(e));
        return new FolderDir.Staged(tmp, key, MaildirNames.flags(MaildirNames.info(e.filename()), s.keywords()),
                dir.cachedHeader(e));
    }

    @Override
    public void close() {
        // no file is held open; the folder's shared cache may let go of its key map
        if (closed.compareAndSet(false, true)) dir.release();
    }
}
