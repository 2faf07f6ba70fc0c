package org.mailhive.pop3.internal;

import java.util.List;

/**
 * One POP3 response: +OK or -ERR, a text (which may start with an RFC 2449 response code such as
 * {@code [IN-USE]}) and, for multi-line responses, the lines before the terminating ".".
 */
record Reply(boolean ok, String text, List<String> lines) {

    Reply {
        lines = lines == null ? null : List.copyOf(lines);
    }

    static Reply ok(String text) {
        return new Reply(true, text, null);
    }

    static Reply err(String text) {
        return new Reply(false, text, null);
    }

    static Reply multi(String text, List<String> lines) {
        return new Reply(true, text, lines);
    }

    boolean multiLine() {
        return lines != null;
    }

    /** The response as sent, lines dot-stuffed (RFC 1939 section 3). */
    String toWire() {
        StringBuilder sb = new StringBuilder(ok ? "+OK" : "-ERR");
        if (!text.isEmpty()) sb.append(' ').append(text);
        sb.append("\r\n");
        if (lines != null) {
            for (String l : lines) {
                if (l.startsWith(".")) sb.append('.');
                sb.append(l).append("\r\n");
            }
            sb.append(".\r\n");
        }
        return sb.toString();
    }
}
