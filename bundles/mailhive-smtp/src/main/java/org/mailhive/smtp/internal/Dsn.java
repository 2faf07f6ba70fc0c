package org.mailhive.smtp.internal;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** RFC 3461 parameter syntax: xtext, NOTIFY, ORCPT. Pure functions. */
final class Dsn {

    private Dsn() {
    }

    /** xtext: printable ASCII except '+' and '=', which appear only as "+XX" (upper-case hex). */
    static boolean isXtext(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) return false;
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    /** @return NEVER, or a comma list of SUCCESS, FAILURE, DELAY in upper case; null when invalid */
    static String notify(String value) {
        String v = value.toUpperCase(Locale.ROOT);
        if (v.equals("NEVER")) return v;
        Set<String> seen = new LinkedHashSet<>();
        for (String part : v.split(",", -1)) {
            if (!part.equals("SUCCESS") && !part.equals("FAILURE") && !part.equals("DELAY")) return null;
            if (!seen.add(part)) return null;
        }
        return String.join(",", seen);
    }

    /** ORCPT=addr-type;xtext with an atom addr-type (usually rfc822). */
    static boolean isOrcpt(String value) {
        int semi = value.indexOf(';');
        if (semi <= 0 || semi == value.length() - 1 || value.length() > 500) return false;
        String type = value.substring(0, semi);
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-') return false;
        }
        return isXtext(value.substring(semi + 1));
    }
}
