package org.mailhive.store.maildir.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.mailhive.api.store.MessageHeaders;

/**
 * Keeps the header section of a Maildir file while its bytes pass by (a delivery writing it, a
 * size count reading it), in the CRLF form {@link CrlfInputStream} gives: the result is byte for
 * byte what {@link MessageHeaders#read} returns for {@code open(uid)}, with the same cap.
 */
final class HeaderCapture {

    private static final int CRLF = 0x0d0a;
    private static final int CRLF_CRLF = 0x0d0a0d0a;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    private int prev = -1;
    private int last4;
    private int lastLineEnd;
    private boolean done;
    private boolean truncated;

    /** Takes the next bytes as they are on disk (LF line endings). */
    void accept(byte[] b, int off, int len) {
        for (int i = off; i < off + len && !done; i++) {
            byte c = b[i];
            if (c == '\n' && prev != '\r') emit('\r');
            if (!done) emit(c);
            prev = c;
        }
    }

    boolean done() {
        return done;
    }

    private void emit(int c) {
        out.write(c);
        last4 = (last4 << 8) | (c & 0xff);
        if ((last4 & 0xffff) == CRLF) {
            lastLineEnd = out.size();
            if (out.size() == 2 || last4 == CRLF_CRLF) {
                done = true;
                return;
            }
        }
        if (out.size() > MessageHeaders.MAX_SIZE) {
            truncated = true;
            done = true;
        }
    }

    /** The header seen so far; a message that ended without an empty line is all header. */
    byte[] header() {
        byte[] all = out.toByteArray();
        return truncated ? Arrays.copyOf(all, lastLineEnd) : all;
    }

    boolean truncated() {
        return truncated;
    }
}
