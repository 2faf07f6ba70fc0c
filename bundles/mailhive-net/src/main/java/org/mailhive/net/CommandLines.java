package org.mailhive.net;

/**
 * Input the I/O thread may consider answering ({@link InlineGate}): one or more whole command
 * lines, each ending in CRLF and made of printable ASCII only. Anything else (a partial line, a
 * bare CR or LF, a control character, NUL, 8-bit bytes, an empty or overlong line) is left to
 * the worker, whose decoder has the error replies for it.
 */
public final class CommandLines {

    /** One line, without its CRLF. */
    @FunctionalInterface
    public interface LineTest {
        boolean test(byte[] bytes, int start, int length);
    }

    private CommandLines() {
    }

    /**
     * @param maxLength the longest line taken, without its CRLF
     * @return whether the input is whole lines and {@code test} takes each of them
     */
    public static boolean all(byte[] bytes, int offset, int length, int maxLength, LineTest test) {
        int end = offset + length;
        if (length < 2 || bytes[end - 1] != '\n') return false;
        int start = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (i == start || bytes[i - 1] != '\r') return false;
                int lineLength = i - 1 - start;
                if (lineLength == 0 || lineLength > maxLength || !test.test(bytes, start, lineLength)) return false;
                start = i + 1;
            } else if (b == '\r') {
                if (i + 1 >= end || bytes[i + 1] != '\n') return false;
            } else if (b < 32 || b == 127) {
                return false; // controls, NUL, DEL and 8-bit bytes (negative)
            }
        }
        return start == end;
    }
}
