package org.mailhive.delivery.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * CRLF to LF, streamed: Unix MDAs (procmail, maildrop) expect the local line ending, as Postfix
 * gives them. A CR not followed by LF is kept.
 */
final class CrlfToLfInputStream extends FilterInputStream {

    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private boolean heldCr;

    CrlfToLfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int w = 0;
        while (w < len) {
            if (pos == lim) {
                if (w > 0) break; // hand out what is there rather than block for more
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    if (!heldCr) return -1;
                    heldCr = false;
                    b[off] = '\r';
                    return 1;
                }
                pos = 0;
                lim = n;
                continue;
            }
            byte c = buf[pos];
            if (heldCr) {
                heldCr = false;
                if (c != '\n') {
                    b[off + w++] = '\r';
                    continue;
                }
            }
            pos++;
            if (c == '\r') {
                heldCr = true;
            } else {
                b[off + w++] = c;
            }
        }
        return w;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        byte[] scratch = new byte[8192];
        while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override
    public int available() {
        return lim - pos;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
