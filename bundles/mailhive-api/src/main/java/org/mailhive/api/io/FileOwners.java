package org.mailhive.api.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Giving the files of a mailbox to the system account it belongs to (system users mode, server
 * running as root), the way Postfix's local(8) and Dovecot create them as the user. Numbers, not
 * names, are set: the account need not be in this system's passwd (a fixture, NSS, a container).
 */
public final class FileOwners {

    /** Called with the parent of each directory created, so that the new entry can be made durable. */
    @FunctionalInterface
    public interface ParentSync {
        void sync(Path parent) throws IOException;
    }

    private FileOwners() {
    }

    /** chown -h uid:gid: a symbolic link planted by someone is changed itself, never what it points to. */
    public static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    public static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    public static int gid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Creates {@code dir} and its missing parents, mode 0700, each given to uid:gid before anything
     * is put in it. The mailbox root and what is below it are always created; a directory above
     * the root only inside a directory the account owns, as the user could have done. So a missing
     * home directory ({@code /home/alice} in {@code /home}, owned by root) is never created: that
     * is the administrator's job, and delivery defers until it is done.
     */
    public static void createDirectories(Path dir, Path mailboxRoot, int uid, int gid, ParentSync sync)
            throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) createDirectories(parent, mailboxRoot, uid, gid, sync);
        boolean inMailbox = dir.startsWith(mailboxRoot);
        if (!inMailbox && parent != null && uid(parent) != uid) {
            throw new IOException("home directory missing: not creating " + dir + " in " + parent
                    + ", which uid " + uid + " does not own");
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
            return;
        }
        chown(dir, uid, gid);
        if (parent != null) sync.sync(parent);
    }
}
