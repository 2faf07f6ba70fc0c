package org.mailhive.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mailhive.api.mail.MessageContent;

/**
 * The queued message file, streamed from disk each time it is read. A queue file is never
 * changed once committed, so its size is read from the disk once.
 */
final class FileContent implements MessageContent {

    private final Path file;
    private long size = -1;

    FileContent(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    @Override
    public InputStream openStream() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public synchronized long size() throws IOException {
        if (size < 0) size = Files.size(file);
        return size;
    }
}
