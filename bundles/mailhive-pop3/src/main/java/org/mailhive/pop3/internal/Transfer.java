package org.mailhive.pop3.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * One message on its way to the client (RETR, TOP): read in chunks from the store's stream and
 * stuffed into the session's output, a chunk at a time, so no message is ever whole in memory.
 */
final class Transfer implements AutoCloseable {

    static final int CHUNK = 32 << 10;

    private final InputStream in;
    private final DotStuffer stuffer;
    private final boolean top;

    Transfer(InputStream in, DotStuffer stuffer, boolean top) {
        this.in = in;
        this.stuffer = stuffer;
        this.top = top;
    }

    boolean top() {
        return top;
    }

    long passed() {
        return stuffer.passed();
    }

    /** Moves one chunk into {@code out}. @return true when the response is complete (terminator written) */
    boolean step(OutBuffer out, byte[] scratch) throws IOException {
        int n = stuffer.done() ? -1 : in.read(scratch, 0, Math.min(scratch.length, CHUNK));
        if (n > 0) {
            stuffer.encode(scratch, 0, n, out);
            return false;
        }
        if (n == 0) return false;
        stuffer.finish(out);
        return true;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // the message was read, or the session is going anyway: nothing to tell the client
        }
    }
}
