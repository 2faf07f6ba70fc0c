package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The steps that make queue state durable. Kept behind an interface so a test can record their
 * order: the promise "250 only after fsync" rests on this order and nothing else.
 */
interface DiskOps {

    /**
     * Forces a file's content, and what reading it back needs (its length, its blocks), to disk;
     * {@code path} names it for the record. Its timestamps need not be durable: nothing is lost
     * when a queue file's times are those of an earlier write after a crash.
     */
    void fsync(FileChannel channel, Path path) throws IOException;

    /** Forces a directory's entries (creations, renames) to disk. */
    void fsyncDirectory(Path dir) throws IOException;

    /** Atomic rename; the target must not exist. */
    void move(Path from, Path to) throws IOException;
}
