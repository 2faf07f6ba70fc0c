package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads bytes {@code [from, to)} of a file with positional reads; closing it leaves the channel open. */
final class ChannelRegionStream extends InputStream {

    private final FileChannel ch;
    private long pos;
    private final long end;

    ChannelRegionStream(FileChannel ch, long from, long to) {
        this.ch = ch;
        this.pos = from;
        this.end = to;
    }

    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos >= end) return -1;
        int n = (int) Math.min(len, end - pos);
        int got = ch.read(ByteBuffer.wrap(b, off, n), pos);
        if (got < 0) return -1;
        pos += got;
        return got;
    }
}
