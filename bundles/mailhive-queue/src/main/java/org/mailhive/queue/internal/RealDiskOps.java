package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** fsync with {@code FileChannel.force(true)}; a directory is forced by opening it read-only. */
final class RealDiskOps implements DiskOps {

    static final RealDiskOps INSTANCE = new RealDiskOps();

    @Override
    public void fsync(FileChannel channel, Path path) throws IOException {
        channel.force(true);
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
