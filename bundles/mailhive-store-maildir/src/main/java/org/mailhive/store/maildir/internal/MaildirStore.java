package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mailhive.api.io.FileOwners;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxLocation.Owner;
import org.mailhive.api.store.MailboxStore;
import org.osgi.service.component.annotations.Component;

/**
 * Maildir++ mailboxes as Dovecot keeps them: INBOX is the Maildir itself, folder {@code A/B} is
 * {@code .A.B} beside {@code cur/ new/ tmp/}, each with a dovecot-uidlist and dovecot-keywords. A
 * message is written to tmp/, fsync'd, renamed into new/ (or cur/ with flags), given a UID in the
 * index and the directory fsync'd before append returns. A location with an owner (system users)
 * gets every directory and file given to that uid:gid as soon as it is created, so a message is
 * the user's before the rename that shows it.
 */
@Component(service = MailboxStore.class, property = MailboxStore.FORMAT + "=maildir")
public final class MaildirStore implements MailboxStore {

    private static final int BUFFER = 64 * 1024;
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final DiskOps disk;
    private final UniqueNames names;
    private final Clock clock;
    private final Map<Path, FolderDir> dirs = new ConcurrentHashMap<>();
    private final Listeners listeners = new Listeners();

    public MaildirStore() {
        this(PosixDiskOps.INSTANCE, UniqueNames.forThisProcess(), Clock.systemUTC());
    }

    MaildirStore(DiskOps disk, UniqueNames names, Clock clock) {
        this.disk = disk;
        this.names = names;
        this.clock = clock;
    }

    @Override
    public AppendResult append(MailboxLocation location, String folder, MessageContent content, Set<String> flags,
            Instant internalDate) throws IOException {
        Path root = root(location);
        Path dir = MaildirFolders.resolve(root, folder);
        String folderName = folder == null || folder.equalsIgnoreCase(INBOX) ? INBOX : folder;
        Owner owner = location.owner().orElse(null);
        FolderDir fd = dir(dir, owner);
        // as root for a user, the links are checked again each time (see refuseForeignLink)
        boolean known = owner == null && fd.complete;
        if (!known) ensureMaildirs(fd, root, owner);
        FolderDir.Stored stored;
        try {
            stored = write(fd, content, flags, internalDate);
        } catch (NoSuchFileException e) {
            if (!known) throw e;
            // removed since the last delivery (an operator, a user's client): create it again
            ensureMaildirs(fd, root, owner);
            stored = write(fd, content, flags, internalDate);
        }
        listeners.changed(root, folderName);
        return new AppendResult(folderName, stored.filename());
    }

    private void ensureMaildirs(FolderDir fd, Path root, Owner owner) throws IOException {
        fd.complete = false;
        Path dir = fd.path();
        if (!dir.equals(root)) {
            // Maildir++ readers (mutt, Dovecot) expect the root itself to be a Maildir
            ensureMaildir(root, false, owner, root);
        }
        ensureMaildir(dir, !dir.equals(root), owner, root);
        fd.complete = true;
    }

    @Override
    public Mailbox open(MailboxLocation location) throws IOException {
        return new MaildirMailbox(this, root(location), location.owner().orElse(null));
    }

    private static Path root(MailboxLocation location) {
        Path root = Path.of(location.root());
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("maildir location must be an absolute path: " + location.root());
        }
        return root.normalize();
    }

    /** The shared state of one Maildir directory: every session and delivery of this store uses the same one. */
    FolderDir dir(Path path) {
        return dirs.computeIfAbsent(path.toAbsolutePath().normalize(), p -> new FolderDir(p, disk, clock));
    }

    /** The directory, with the owner its new files get from now on. */
    FolderDir dir(Path path, Owner owner) {
        FolderDir fd = dir(path);
        fd.owner(owner);
        return fd;
    }

    Listeners listeners() {
        return listeners;
    }

    UniqueNames names() {
        return names;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Writes the message to tmp/ as LF text, fsyncs it, and commits it into the folder with a UID.
     * The name carries ,S= (bytes on disk) and ,W= (bytes with CRLF) as Dovecot's names do.
     */
    FolderDir.Stored write(FolderDir fd, MessageContent content, Set<String> flags, Instant internalDate)
            throws IOException {
        String base = names.next(clock.instant());
        Path tmp = fd.path().resolve(FolderDir.TMP).resolve(base);
        boolean committed = false;
        try {
            long[] sizes;
            HeaderCapture capture = new HeaderCapture();
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(FILE_MODE));
                    InputStream in = content.openStream()) {
                AtomicFiles.own(tmp, fd.owner());
                sizes = copyToLf(in, ch, capture, bufferFor(content));
                if (internalDate != null) {
                    Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
                }
                disk.syncFile(tmp, ch);
            }
            String key = UniqueNames.withSizes(base, sizes[0], sizes[1]);
            HeaderCache.Item header = new HeaderCache.Item(key, sizes[1], capture.truncated(), capture.header());
            FolderDir.Stored stored = fd.commit(new FolderDir.Staged(tmp, key, flags == null ? Set.of() : flags, header));
            committed = true;
            return stored;
        } catch (RuntimeException e) {
            throw new IOException("maildir append failed: " + e, e);
        } finally {
            if (!committed) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Copies the message turning CRLF into LF, the Maildir convention; a CR not followed by LF is
     * message data and is kept. Returns the bytes written and the size the file has when read
     * back with CRLF ({@link CrlfInputStream}); {@code capture} sees the bytes written until it has the header.
     */
    static long[] copyToLf(InputStream in, FileChannel out, HeaderCapture capture) throws IOException {
        return copyToLf(in, out, capture, BUFFER);
    }

    /**
     * A buffer as large as the message, up to {@link #BUFFER}: most mail is a few KiB, and two
     * zeroed 64 KiB arrays per delivery were a measurable share of the CPU a small message costs.
     */
    static int bufferFor(MessageContent content) throws IOException {
        long size = content.size();
        return size < 0 || size >= BUFFER ? BUFFER : (int) Math.max(4096, size + 1);
    }

    static long[] copyToLf(InputStream in, FileChannel out, HeaderCapture capture, int bufferSize) throws IOException {
        byte[] src = new byte[bufferSize];
        byte[] dst = new byte[bufferSize + 1];
        boolean pendingCr = false;
        long written = 0;
        long bareLf = 0;
        int last = -1;
        int n;
        while ((n = in.read(src)) >= 0) {
            int o = 0;
            for (int i = 0; i < n; i++) {
                byte b = src[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') dst[o++] = '\r';
                }
                if (b == '\r') {
                    pendingCr = true;
                } else {
                    dst[o++] = b;
                }
            }
            for (int i = 0; i < o; i++) {
                if (dst[i] == '\n' && last != '\r') bareLf++;
                last = dst[i];
            }
            if (!capture.done()) capture.accept(dst, 0, o);
            written += writeFully(out, dst, o);
        }
        if (pendingCr) {
            dst[0] = '\r';
            if (!capture.done()) capture.accept(dst, 0, 1);
            written += writeFully(out, dst, 1);
        }
        return new long[] {written, written + bareLf};
    }

    private static int writeFully(FileChannel out, byte[] buf, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
        return len;
    }

    /** Creates cur/ new/ tmp/ (and for a folder the {@code maildirfolder} marker Maildir++ readers expect). */
    void ensureMaildir(Path dir, boolean subfolder) throws IOException {
        ensureMaildir(dir, subfolder, null, dir);
    }

    /**
     * With an owner, what is created is given to it, and nothing above {@code mailboxRoot} is
     * created outside a directory the owner owns: a missing home directory stays missing.
     */
    void ensureMaildir(Path dir, boolean subfolder, Owner owner, Path mailboxRoot) throws IOException {
        for (String sub : new String[] {FolderDir.CUR, FolderDir.NEW, FolderDir.TMP}) {
            Path p = dir.resolve(sub);
            if (!Files.isDirectory(p)) {
                if (owner == null) {
                    createDirectories(p);
                } else {
                    FileOwners.createDirectories(p, mailboxRoot, owner.uid(), owner.gid(), disk::syncDirectory);
                }
            }
            if (owner != null) refuseForeignLink(p, mailboxRoot, owner);
        }
        Path marker = dir.resolve("maildirfolder");
        if (subfolder && !Files.exists(marker)) {
            try {
                Files.createFile(marker, PosixFilePermissions.asFileAttribute(FILE_MODE));
                AtomicFiles.own(marker, owner);
                disk.syncDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // created by a concurrent session
            }
        }
    }

    /**
     * Running as root for a user (system users), every directory from the mailbox root down to
     * {@code dir} must be a real directory or a link to a directory of that user's (a Maildir on
     * another disk): a link to anyone else's directory would make root create and rename files
     * there. A link that changes between this check and the use is not caught; the README says so.
     */
    private static void refuseForeignLink(Path dir, Path mailboxRoot, Owner owner) throws IOException {
        for (Path p = dir; p != null && p.startsWith(mailboxRoot); p = p.getParent()) {
            if (Files.isSymbolicLink(p) && FileOwners.uid(p.toRealPath()) != owner.uid()) {
                throw new IOException(p + " is a symbolic link to a directory uid " + owner.uid()
                        + " does not own: not delivering through it as root");
            }
        }
    }

    /** Like Files.createDirectories, but mode 0700 and each new entry's parent fsync'd. */
    private void createDirectories(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
            return;
        }
        if (parent != null) {
            disk.syncDirectory(parent);
        }
    }
}
