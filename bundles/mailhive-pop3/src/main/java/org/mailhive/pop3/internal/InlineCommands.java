package org.mailhive.pop3.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;
import org.mailhive.net.CommandLines;

/**
 * Which input the I/O thread may answer itself ({@link Pop3Session#tryInline}): whole lines
 * ({@link CommandLines}), each a command that works on the maildrop listing in memory, and RETR
 * only of messages read ahead. Anything else (another command, a message that would need the
 * disk) is the worker's, which handles it exactly as before.
 */
final class InlineCommands {

    private static final Set<String> IN_MEMORY = Set.of("NOOP", "STAT", "LIST", "UIDL", "DELE");

    private InlineCommands() {
    }

    static boolean accept(byte[] bytes, int offset, int length, IntPredicate readAhead) {
        return CommandLines.all(bytes, offset, length, LineDecoder.COMMAND_LIMIT - 2,
                (b, start, n) -> acceptLine(new String(b, start, n, StandardCharsets.US_ASCII), readAhead));
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
