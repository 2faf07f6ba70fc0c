package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.mailhive.api.io.FileOwners;
import org.mailhive.api.store.MailboxLocation.Owner;

/**
 * The files of a mailbox whose location has an owner (system users): each is given to that
 * uid:gid before it can be seen under its name. An INBOX in a shared spool directory (a directory
 * the user does not own, {@code /var/mail} style) is {@code uid:<group of the directory>} mode
 * 0660 when that group is not root's, as Debian keeps {@code /var/mail/alice} (alice:mail),
 * so that mail readers running setgid mail can take their dotlock; otherwise {@code uid:gid} 0600.
 */
final class MboxOwner {

    private MboxOwner() {
    }

    /** Missing directories up to {@code dir}: mode 0700, the owner's; a missing home is never created. */
    static void createDirectories(Path dir, MboxLayout layout) throws IOException {
        if (Files.isDirectory(dir)) return;
        Owner owner = layout == null ? null : layout.owner();
        if (owner == null) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            FileOwners.createDirectories(dir, layout.root(), owner.uid(), owner.gid(), Durability::syncDirectory);
        }
    }

    /** A sidecar (index, subscriptions, lock) just created by this store: the owner's, 0600. */
    static void own(Path file, MboxLayout layout) throws IOException {
        Owner owner = layout == null ? null : layout.owner();
        if (owner == null) return;
        FileOwners.chown(file, owner.uid(), owner.gid());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Creates an empty mbox file that is the owner's from its first moment: made under a hidden
     * name, given away, then linked to its name (link(2) fails when the name exists, like O_EXCL).
     * False when someone else created it first.
     */
    static boolean createMbox(Path path, MboxLayout layout) throws IOException {
        Owner owner = layout.owner();
        Path dir = path.getParent();
        Path tmp = dir.resolve("." + path.getFileName() + ".mailhive-new-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId());
        Files.deleteIfExists(tmp);
        boolean spool = FileOwners.uid(dir) != owner.uid() && FileOwners.gid(dir) != 0;
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            FileOwners.chown(tmp, owner.uid(), spool ? FileOwners.gid(dir) : owner.gid());
            if (spool) Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw----"));
            Files.createLink(path, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            // another delivery created it meanwhile: theirs is used
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
