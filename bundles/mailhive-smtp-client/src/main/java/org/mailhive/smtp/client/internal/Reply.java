package org.mailhive.smtp.client.internal;

import java.util.List;
import org.mailhive.api.mail.EnhancedStatus;

/**
 * A reply read from the remote server. Not the API's SmtpReply: a remote server may send an
 * enhanced code that contradicts its reply code, and that must not stop the delivery.
 */
record Reply(int code, List<String> lines) {

    Reply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean permanent() {
        return code >= 500;
    }

    /** The enhanced status the server gave when it matches the reply class, else x.0.0 of that class. */
    EnhancedStatus status() {
        int klass = code / 100;
        String first = lines.isEmpty() ? "" : lines.get(0);
        int space = first.indexOf(' ');
        String word = space < 0 ? first : first.substring(0, space);
        if (word.matches("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}") && word.charAt(0) - '0' == klass) {
            return EnhancedStatus.parse(word);
        }
        return EnhancedStatus.of(klass == 2 ? 2 : klass == 4 ? 4 : 5, 0, 0);
    }

    /** {@code 451 4.3.0 try later}, continuation lines joined with spaces, as Postfix logs it. */
    String text() {
        StringBuilder sb = new StringBuilder().append(code);
        for (String l : lines) {
            if (!l.isEmpty()) sb.append(' ').append(l);
        }
        return sb.toString();
    }

    /**
     * Parses one reply line {@code 250-text} / {@code 250 text} / {@code 250}; returns the code,
     * or -1 when malformed. {@code last[0]} tells whether this line ends the reply.
     */
    static int lineCode(String line, boolean[] last) {
        if (line.length() < 3) return -1;
        for (int i = 0; i < 3; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') return -1;
        }
        int code = Integer.parseInt(line.substring(0, 3));
        if (code < 200 || code > 599) return -1;
        if (line.length() == 3) {
            last[0] = true;
        } else if (line.charAt(3) == ' ') {
            last[0] = true;
        } else if (line.charAt(3) == '-') {
            last[0] = false;
        } else {
            return -1;
        }
        return code;
    }

    static String lineText(String line) {
        return line.length() > 4 ? line.substring(4) : "";
    }
}
