package org.mailhive.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mailhive.api.mail.MessageContent;

/** The queued message file, streamed from disk each time it is read. */
record FileContent(Path file) implements MessageContent {

    @Override
    public InputStream openStream() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public long size() throws IOException {
        return Files.size(file);
    }
}
