package org.mailhive.smtp.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.mailhive.net.CommandLines;

/**
 * Which input the I/O thread may answer itself ({@link SmtpSession#tryInline}): whole lines
 * ({@link CommandLines}), each a command that works on the session's state in memory alone.
 * RCPT (user and policy lookups), DATA and BDAT (the queue), AUTH and STARTTLS stay the worker's.
 */
final class InlineCommands {

    private static final Set<String> IN_MEMORY = Set.of("HELO", "EHLO", "MAIL", "NOOP", "RSET", "QUIT");

    private InlineCommands() {
    }

    static boolean accept(byte[] bytes, int offset, int length, int lineLimit) {
        return CommandLines.all(bytes, offset, length, lineLimit - 2,
                (b, start, n) -> n >= 4 && (n == 4 || b[start + 4] == ' ') && IN_MEMORY.contains(
                        new String(b, start, 4, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)));
    }
}
