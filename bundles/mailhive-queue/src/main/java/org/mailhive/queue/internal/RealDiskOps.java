package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * fdatasync for files ({@code FileChannel.force(false)}, as Dovecot syncs mail files): a queue
 * file written over in place then costs a write of its data alone, not of its inode too. A
 * directory is fsync'd by opening it read-only.
 */
final class RealDiskOps implements DiskOps {

    static final RealDiskOps INSTANCE = new RealDiskOps();

    @Override
    public void fsync(FileChannel channel, Path path) throws IOException {
        channel.force(false);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
