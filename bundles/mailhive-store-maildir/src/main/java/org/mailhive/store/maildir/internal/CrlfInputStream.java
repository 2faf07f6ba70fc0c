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

    private static final int BUFFER = 16 * 1024;

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

    /**
     * Copies runs of bytes up to the next bare LF with one arraycopy each, with the state in
     * locals: POP3 RETR and IMAP FETCH stream every message through here.
     */
    @Override
    public int read(byte[] b, int off, int max) throws IOException {
        if (max == 0) return 0;
        if (!fill()) return -1;
        int n = 0;
        int p = pos;
        int l = len;
        int pv = prev;
        boolean cr = crSent;
        while (n < max) {
            if (p >= l) {
                pos = p;
                if (!fill()) break;
                p = pos;
                l = len;
            }
            int limit = Math.min(l, p + (max - n));
            int start = p;
            while (p < limit) {
                byte c = buf[p];
                if (c == '\n' && pv != '\r' && !cr) break;
                pv = c;
                cr = false;
                p++;
            }
            int run = p - start;
            if (run > 0) {
                System.arraycopy(buf, start, b, off + n, run);
                n += run;
            }
            if (p < limit) {
                // a bare LF is next: its CR goes out now, the LF itself in the next run
                b[off + n++] = '\r';
                cr = true;
            }
        }
        pos = p;
        prev = pv;
        crSent = cr;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The size of the file as this stream would produce it. */
    static long countCrlfSize(Path file) throws IOException {
        return countCrlfSize(file, null);
    }

    /** Also hands the bytes to {@code capture} until it has the header. */
    static long countCrlfSize(Path file, HeaderCapture capture) throws IOException {
        byte[] b = new byte[BUFFER];
        long size = 0;
        int prev = -1;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(b)) > 0) {
                if (capture != null && !capture.done()) capture.accept(b, 0, n);
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
