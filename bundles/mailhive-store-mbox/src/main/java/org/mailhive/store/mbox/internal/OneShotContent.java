package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import org.mailhive.api.mail.MessageContent;

/** An already open stream as message content, for a copy that appends it exactly once. */
final class OneShotContent implements MessageContent {

    private InputStream stream;
    private final long size;

    OneShotContent(InputStream stream, long size) {
        this.stream = stream;
        this.size = size;
    }

    @Override
    public synchronized InputStream openStream() throws IOException {
        if (stream == null) throw new IOException("message content already read");
        InputStream s = stream;
        stream = null;
        return s;
    }

    @Override
    public long size() {
        return size;
    }
}
