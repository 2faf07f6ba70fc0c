package org.mailhive.smtp.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Which input the I/O thread may answer itself ({@link SmtpSession#tryInline}): whole CRLF lines
 * of printable ASCII, each a command that works on the session's state in memory alone. RCPT
 * (user and policy lookups), DATA and BDAT (the queue), AUTH and STARTTLS stay the worker's, and
 * so does anything unusual: a partial line, a bare LF, a long line, a control character.
 */
final class InlineCommands {

    private static final Set<String> IN_MEMORY = Set.of("HELO", "EHLO", "MAIL", "NOOP", "RSET", "QUIT");

    private InlineCommands() {
    }

    static boolean accept(byte[] bytes, int offset, int length, int lineLimit) {
        int end = offset + length;
        if (length < 2 || bytes[end - 1] != '\n') return false;
        int start = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b != '\n') {
                // control characters, NUL, DEL and non-ASCII (negative); CR only before LF
                if ((b < 32 && b != '\r') || b == 127) return false;
                continue;
            }
            if (i == start || bytes[i - 1] != '\r') return false;
            int lineLength = i - 1 - start;
            if (lineLength < 4 || lineLength > lineLimit - 2) return false;
            for (int j = start; j < i - 1; j++) {
                if (bytes[j] == '\r') return false;
            }
            if (!IN_MEMORY.contains(verb(bytes, start, lineLength))) return false;
            start = i + 1;
        }
        return start == end;
    }

    private static String verb(byte[] bytes, int start, int lineLength) {
        int n = 0;
        while (n < lineLength && bytes[start + n] != ' ') n++;
        if (n != 4) return "";
        return new String(bytes, start, 4, java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }
}
