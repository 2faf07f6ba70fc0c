package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.osgi.service.component.annotations.Component;

/**
 * Maildir++ mailboxes: INBOX is the Maildir itself, folder {@code A/B} is {@code .A.B} beside
 * {@code cur/ new/ tmp/}. A message is written to tmp/, fsync'd, renamed into new/ (or cur/ with
 * flags) and the directory fsync'd before append returns.
 */
@Component(service = MailboxStore.class, property = MailboxStore.FORMAT + "=maildir")
public final class MaildirStore implements MailboxStore {

    private static final int BUFFER = 64 * 1024;
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final DiskOps disk;
    private final UniqueNames names;
    private final Clock clock;

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
        Path root = Path.of(location.root());
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("maildir location must be an absolute path: " + location.root());
        }
        Path dir = MaildirFolders.resolve(root, folder);
        ensureMaildir(dir);
        String folderName = folder == null ? INBOX : folder;

        String base = names.next(clock.instant());
        Path tmp = dir.resolve("tmp").resolve(base);
        boolean moved = false;
        try {
            long size;
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(FILE_MODE));
                    InputStream in = content.openStream()) {
                size = copyToLf(in, ch);
                if (internalDate != null) {
                    Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
                }
                disk.syncFile(tmp, ch);
            }
            String letters = flagLetters(flags);
            String name = UniqueNames.withSize(base, size);
            Path target = letters.isEmpty()
                    ? dir.resolve("new").resolve(name)
                    : dir.resolve("cur").resolve(name + ":2," + letters);
            disk.move(tmp, target);
            moved = true;
            disk.syncDirectory(target.getParent());
            return new AppendResult(folderName, target.getFileName().toString());
        } catch (RuntimeException e) {
            throw new IOException("maildir append failed: " + e, e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Copies the message turning CRLF into LF, the Maildir convention; a CR not followed by LF is
     * message data and is kept. Returns the number of bytes written.
     */
    static long copyToLf(InputStream in, FileChannel out) throws IOException {
        byte[] src = new byte[BUFFER];
        byte[] dst = new byte[BUFFER + 1];
        boolean pendingCr = false;
        long written = 0;
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
            written += writeFully(out, dst, o);
        }
        if (pendingCr) {
            dst[0] = '\r';
            written += writeFully(out, dst, 1);
        }
        return written;
    }

    private static int writeFully(FileChannel out, byte[] buf, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
        return len;
    }

    /** Maildir info letters for the IMAP system flags, sorted; keywords have no letter here. */
    static String flagLetters(Set<String> flags) {
        if (flags == null || flags.isEmpty()) return "";
        TreeSet<Character> letters = new TreeSet<>();
        for (String f : flags) {
            switch (f.toLowerCase(java.util.Locale.ROOT)) {
                case "\\draft" -> letters.add('D');
                case "\\flagged" -> letters.add('F');
                case "\\answered" -> letters.add('R');
                case "\\seen" -> letters.add('S');
                case "\\deleted" -> letters.add('T');
                default -> {
                    // keywords need the dovecot-keywords index, which this store does not keep yet
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        letters.forEach(sb::append);
        return sb.toString();
    }

    private void ensureMaildir(Path dir) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Path p = dir.resolve(sub);
            if (!Files.isDirectory(p)) {
                createDirectories(p);
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
