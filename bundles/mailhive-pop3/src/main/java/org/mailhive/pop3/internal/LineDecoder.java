package org.mailhive.pop3.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits client input into lines, a pure state machine over bytes. A line longer than
 * {@link #MAX_LINE}, or one holding a NUL, becomes an error item instead of a line, and an
 * overlong line is skipped up to its end so that its tail is not taken as a command. The
 * tighter limit for commands is the session's to apply, since only it knows whether a line is
 * a command or a SASL response.
 */
final class LineDecoder {

    /** One unit of input: a line with its length in octets (CRLF excluded), or the error to answer instead. */
    record Item(String line, int octets, Reply error) {
    }

    /** RFC 2449 section 4: command lines are at most 255 octets, CRLF included. */
    static final int COMMAND_LIMIT = 255;
    /** SASL responses may be longer than commands (RFC 5034 section 4); CRLF included. */
    static final int MAX_LINE = 8192;

    private final byte[] line = new byte[MAX_LINE - 1];
    private int length;
    private boolean discarding;
    private boolean sawNul;

    /** Forgets a partial line (after STLS the plaintext rest is not to be trusted). */
    void reset() {
        length = 0;
        discarding = false;
        sawNul = false;
    }

    void feed(byte[] in, int offset, int count, Consumer<Item> items) {
        int end = offset + count;
        for (int pos = offset; pos < end; pos++) {
            byte b = in[pos];
            if (b == '\n') {
                endLine(items);
                continue;
            }
            if (discarding) continue;
            if (b == 0) sawNul = true;
            if (length == line.length) {
                discarding = true;
                continue;
            }
            line[length++] = b;
        }
    }

    private void endLine(Consumer<Item> items) {
        int len = length;
        if (len > 0 && line[len - 1] == '\r') len--;
        boolean tooLong = discarding || len > MAX_LINE - 2;
        boolean nul = sawNul;
        reset();
        if (tooLong) {
            items.accept(new Item(null, 0, Replies.LINE_TOO_LONG));
        } else if (nul) {
            items.accept(new Item(null, 0, Replies.NUL_IN_COMMAND));
        } else {
            items.accept(new Item(new String(line, 0, len, StandardCharsets.UTF_8), len, null));
        }
    }

    /** Octets of an unfinished line held now. */
    int pending() {
        return length;
    }
}
