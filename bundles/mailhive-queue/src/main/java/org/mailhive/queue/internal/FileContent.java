package org.mailhive.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mailhive.api.mail.MessageContent;

/**
 * A queued message, streamed from disk each time it is read: the bytes of {@code file} from
 * {@code offset} on (after the envelope of a {@link QueueEntryFile}). A queue file is never
 * changed once committed, so its size is read from the disk once.
 */
final class FileContent implements MessageContent {

    private final Path file;
    private final long offset;
    private long size = -1;

    FileContent(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    @Override
    public InputStream openStream() throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public synchronized long size() throws IOException {
        if (size < 0) size = Files.size(file) - offset;
        return size;
    }
}
