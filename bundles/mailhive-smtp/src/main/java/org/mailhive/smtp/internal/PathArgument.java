package org.mailhive.smtp.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of MAIL/RCPT split into path and ESMTP parameters: {@code FROM:<a@b> SIZE=10 BODY=8BITMIME}.
 * Pure; the address itself is parsed by {@link org.mailhive.api.mail.MailAddress#parsePath}.
 */
record PathArgument(String path, Map<String, String> parameters) {

    /** Thrown when the keyword or the overall shape is wrong (not the address syntax). */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * @param keyword {@code FROM:} or {@code TO:}, matched case-insensitively
     * @return parameter names in upper case; a parameter without '=' maps to ""
     */
    static PathArgument parse(String argument, String keyword) throws SyntaxException {
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            throw new SyntaxException("missing " + keyword);
        }
        String rest = argument.substring(keyword.length()).stripLeading();
        if (rest.isEmpty()) throw new SyntaxException("missing path");
        int end = pathEnd(rest);
        String path = rest.substring(0, end);
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : rest.substring(end).trim().split(" +")) {
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (name.isEmpty()) throw new SyntaxException("empty parameter name");
            if (params.put(name, eq < 0 ? "" : p.substring(eq + 1)) != null) {
                throw new SyntaxException("duplicate parameter " + name);
            }
        }
        return new PathArgument(path, params);
    }

    /** The end of the path: after the '>' that is not inside a quoted local part, else the first space. */
    private static int pathEnd(String s) {
        if (s.charAt(0) != '<') {
            int sp = s.indexOf(' ');
            return sp < 0 ? s.length() : sp;
        }
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i + 1;
            }
        }
        return s.length();
    }
}
