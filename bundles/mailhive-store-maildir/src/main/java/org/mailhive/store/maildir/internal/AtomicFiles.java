package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.mailhive.api.io.FileOwners;
import org.mailhive.api.store.MailboxLocation.Owner;

/** Small index files replaced whole: write a temporary file, fsync, rename over, fsync the directory. */
final class AtomicFiles {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private AtomicFiles() {
    }

    static void replace(Path target, byte[] content, DiskOps disk) throws IOException {
        replace(target, content, disk, null);
    }

    /** With an owner, the new file is given to it before the rename makes it visible. */
    static void replace(Path target, byte[] content, DiskOps disk, Owner owner) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + "." + PID + "." + COUNTER.incrementAndGet() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                own(tmp, owner);
                writeFully(ch, content);
                disk.syncFile(tmp, ch);
            }
            disk.move(tmp, target);
            moved = true;
            disk.syncDirectory(target.getParent());
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /** Gives a file this store just created to the mailbox's owner; nothing without one. */
    static void own(Path p, Owner owner) throws IOException {
        if (owner != null) FileOwners.chown(p, owner.uid(), owner.gid());
    }

    static void writeFully(FileChannel ch, byte[] content) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(content);
        while (bb.hasRemaining()) ch.write(bb);
    }
}
