package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Maildir file read back as the CRLF message callers expect: every LF not already preceded by
 * CR gets one. Streams through a buffer, never the whole message.
 */
final class CrlfInputStream extends InputStream {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int len;
    private int prev = -1;
    /** A CR has been emitted for the LF at buf[pos], which comes next. */
    private boolean crSent;

    CrlfInputStream(InputStream in) {
        this.in = in;
    }

    private boolean fill() throws IOException {
        if (pos < len) return true;
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
            len = 0;
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int max) throws IOException {
        if (max == 0) return 0;
        if (!fill()) return -1;
        int n = 0;
        while (n < max) {
            if (pos >= len && !fill()) break;
            byte c = buf[pos];
            if (c == '\n' && prev != '\r' && !crSent) {
                b[off + n++] = '\r';
                crSent = true;
                continue;
            }
            b[off + n++] = c;
            pos++;
            crSent = false;
            prev = c;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The size of the file as this stream would produce it. */
    static long countCrlfSize(Path file) throws IOException {
        byte[] b = new byte[BUFFER];
        long size = 0;
        int prev = -1;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(b)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n' && prev != '\r') size++;
                    prev = b[i];
                }
                size += n;
            }
        }
        return size;
    }
}
