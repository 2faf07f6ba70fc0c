package org.mailhive.admin.internal;

import java.util.Locale;
import java.util.regex.Pattern;
import org.mailhive.api.config.Settings;

/**
 * What kind of value a parameter takes, and Postfix-style normalisation, so {@code yes} equals
 * {@code true}, {@code 5m} equals {@code 300s} and {@code a,b} equals {@code a, b}. The AD type
 * says Integer/Long/Boolean; times and sizes are Strings in the metatype, recognised by the
 * parameter names the shipped .cfg files use (…_timeout, …_time, …_delay, …_lifetime, …_size_limit).
 */
public final class Values {

    public enum Kind { BOOLEAN, INTEGER, LONG, DURATION, SIZE, STRING }

    private static final Pattern DURATION_NAME =
            Pattern.compile(".*(_timeout|_time|_delay|_lifetime|_time_limit)$");
    private static final Pattern SIZE_NAME = Pattern.compile(".*(_size_limit|_size)$");
    private static final Pattern EMPTY_MEANS =
            Pattern.compile("(?i)\\bempty(?::| =| means) (\\$\\{[^}]+\\}[^\\s;,]*|\\$[a-z_]+)");
    private static final Pattern YES_NO = Pattern.compile("(?i)yes|no|true|false");

    private Values() {
    }

    public static Kind kind(Param p) {
        switch (p.type()) {
            case "Boolean":
                return Kind.BOOLEAN;
            case "Integer", "Short", "Byte":
                return Kind.INTEGER;
            case "Long":
                return SIZE_NAME.matcher(p.id()).matches() ? Kind.SIZE : Kind.LONG;
            default:
                break;
        }
        if (DURATION_NAME.matcher(p.id()).matches()) return Kind.DURATION;
        if (SIZE_NAME.matcher(p.id()).matches()) return Kind.SIZE;
        // a String parameter whose default is yes/no is a Postfix boolean (ssl_generate_self_signed)
        if (YES_NO.matcher(p.defaultValue()).matches()) return Kind.BOOLEAN;
        return Kind.STRING;
    }

    /**
     * What an empty value stands for when the description says so with a reference
     * ({@code "empty: ${mailhive.data}/queue"}), so writing the implied value out is no change; else null.
     */
    public static String emptyMeans(Param p) {
        java.util.regex.Matcher m = EMPTY_MEANS.matcher(p.description());
        if (!m.find()) return null;
        String v = m.group(1);
        return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
    }

    /** Why the value is not acceptable for the parameter, or null when it is. Empty means "default". */
    public static String problem(Param p, String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) return null;
        switch (kind(p)) {
            case BOOLEAN:
                return bool(v) == null ? "not yes/no: \"" + v + "\"" : null;
            case INTEGER:
                try {
                    Integer.parseInt(v);
                    return null;
                } catch (NumberFormatException e) {
                    return "not a number: \"" + v + "\"";
                }
            case LONG:
                try {
                    Long.parseLong(v);
                    return null;
                } catch (NumberFormatException e) {
                    return "not a number: \"" + v + "\"";
                }
            case DURATION:
                try {
                    Settings.parseDuration(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            case SIZE:
                try {
                    Settings.parseSize(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            default:
                return null;
        }
    }

    /** Whether two values mean the same for this parameter. */
    public static boolean same(Param p, String a, String b) {
        String x = a == null ? "" : a.trim();
        String y = b == null ? "" : b.trim();
        if (x.equals(y)) return true;
        if (x.isEmpty() || y.isEmpty()) return false;
        String nx = normalise(p, x);
        return nx != null && nx.equals(normalise(p, y));
    }

    /** The canonical text of a value, or null when it does not parse as its kind. */
    static String normalise(Param p, String v) {
        try {
            switch (kind(p)) {
                case BOOLEAN: {
                    Boolean b = bool(v);
                    return b == null ? null : b.toString();
                }
                case INTEGER, LONG:
                    return Long.toString(Long.parseLong(v.trim()));
                case DURATION:
                    return Long.toString(Settings.parseDuration(v).toSeconds());
                case SIZE:
                    return Long.toString(Settings.parseSize(v));
                default:
                    return String.join(",", Settings.splitList(v));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Boolean bool(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1":
                return Boolean.TRUE;
            case "no", "false", "off", "0":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
