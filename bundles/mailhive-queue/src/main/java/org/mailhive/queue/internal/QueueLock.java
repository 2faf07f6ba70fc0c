package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running queue manager's exclusive lock on {@code .qmgr.lock}: it keeps a second server off
 * the same queue and tells the offline command that someone is there to answer its requests.
 */
final class QueueLock {

    private static final Logger LOG = LoggerFactory.getLogger(QueueLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    private QueueLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code waitMillis} for an offline command to finish with the files. */
    static QueueLock acquire(Path file, long waitMillis) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.currentTimeMillis() + waitMillis;
        try {
            FileLock l;
            while ((l = ch.tryLock()) == null) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(file + " is held by another process: does a second server use this queue?");
                }
                Thread.sleep(100);
            }
            return new QueueLock(ch, l);
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + file, e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("cannot release the queue lock: {}", e.toString());
        }
    }
}
