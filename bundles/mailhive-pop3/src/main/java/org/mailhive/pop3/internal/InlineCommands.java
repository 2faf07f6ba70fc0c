package org.mailhive.pop3.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Which input the I/O thread may answer itself ({@link Pop3Session#tryInline}): whole CRLF lines,
 * each a command that works on the maildrop listing in memory, and RETR only of messages read
 * ahead. Anything unusual (a partial line, a bare LF, a long line, another command, a message
 * that would need the disk) is the worker's, which handles it exactly as before.
 */
final class InlineCommands {

    private static final Set<String> IN_MEMORY = Set.of("NOOP", "STAT", "LIST", "UIDL", "DELE");

    private InlineCommands() {
    }

    static boolean accept(byte[] bytes, int offset, int length, IntPredicate readAhead) {
        int end = offset + length;
        if (length < 2 || bytes[end - 1] != '\n') return false;
        int start = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b != '\n') {
                if (b < 32 && b != '\r') return false; // control characters, NUL and non-ASCII (negative)
                continue;
            }
            if (i == start || bytes[i - 1] != '\r') return false;
            int lineLength = i - 1 - start;
            if (lineLength == 0 || lineLength > LineDecoder.COMMAND_LIMIT - 2) return false;
            if (!acceptLine(new String(bytes, start, lineLength, StandardCharsets.US_ASCII), readAhead)) return false;
            start = i + 1;
        }
        return start == end;
    }

    private static boolean acceptLine(String line, IntPredicate readAhead) {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        if (IN_MEMORY.contains(verb)) return true;
        if (!verb.equals("RETR") || sp < 0) return false;
        String n = line.substring(sp + 1);
        if (n.isEmpty() || n.length() > 9) return false;
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) < '0' || n.charAt(i) > '9') return false;
        }
        return readAhead.test(Integer.parseInt(n));
    }
}
