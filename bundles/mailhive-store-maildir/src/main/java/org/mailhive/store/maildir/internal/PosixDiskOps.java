package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The real steps: fsync(2), rename(2) and an fsync of the directory that holds the new entry. */
final class PosixDiskOps implements DiskOps {

    static final PosixDiskOps INSTANCE = new PosixDiskOps();

    private PosixDiskOps() {
    }

    @Override
    public void syncFile(Path file, FileChannel channel) throws IOException {
        channel.force(true);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        // rename(2) within one file system: the message appears complete or not at all
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
