package org.mailhive.pop3.internal;

/**
 * Turns message bytes into the body of a POP3 multi-line response: a "." at the start of a
 * line is doubled, and {@link #finish} ends the response with CRLF.CRLF. For TOP it passes the
 * header, the empty line after it and then only the first {@code bodyLines} lines of the body.
 * Pure: no I/O, any split of the input gives the same output.
 */
final class DotStuffer {

    private final long bodyLimit;
    private long bodyLeft;
    private boolean lineStart = true;
    /** Octets other than CR in the current line: 0 at the end of a line means it was empty. */
    private long lineContent;
    private boolean inBody;
    private boolean done;
    private long passed;

    /** @param bodyLines lines of the body to pass (TOP), or -1 for the whole message (RETR) */
    DotStuffer(long bodyLines) {
        this.bodyLimit = bodyLines;
        this.bodyLeft = bodyLines;
    }

    static DotStuffer whole() {
        return new DotStuffer(-1);
    }

    /** True when TOP has passed all it should: the rest of the message is not needed. */
    boolean done() {
        return done;
    }

    /** Message octets passed so far (before stuffing), for the logout statistics. */
    long passed() {
        return passed;
    }

    void encode(byte[] in, int offset, int length, OutBuffer out) {
        int pos = offset;
        int end = offset + length;
        while (pos < end && !done) {
            if (lineStart && in[pos] == '.') out.put((byte) '.');
            int lf = indexOf(in, pos, end);
            int stop = lf < 0 ? end : lf + 1;
            out.put(in, pos, stop - pos);
            passed += stop - pos;
            if (bodyLimit >= 0 && !inBody) lineContent += countContent(in, pos, lf < 0 ? end : lf);
            pos = stop;
            if (lf < 0) {
                lineStart = false;
            } else {
                lineEnded();
            }
        }
    }

    private void lineEnded() {
        lineStart = true;
        if (!inBody) {
            if (lineContent == 0) {
                inBody = true;
                if (bodyLimit == 0) done = true;
            }
        } else if (bodyLimit > 0 && --bodyLeft == 0) {
            done = true;
        }
        lineContent = 0;
    }

    /** Ends the response; the last line of a message without a final line break gets one. */
    void finish(OutBuffer out) {
        if (!lineStart) out.put("\r\n");
        out.put(".\r\n");
    }

    private static int indexOf(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') return i;
        }
        return -1;
    }

    private static int countContent(byte[] b, int from, int end) {
        int n = 0;
        for (int i = from; i < end; i++) {
            if (b[i] != '\r') n++;
        }
        return n;
    }
}
