package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The durability steps of an append. They sit behind an interface so that a test can record
 * their order: a message is only visible after its bytes are on disk, and the rename is only
 * durable after the directory is synced.
 */
interface DiskOps {

    void syncFile(Path file, FileChannel channel) throws IOException;

    void move(Path source, Path target) throws IOException;

    void syncDirectory(Path dir) throws IOException;
}
