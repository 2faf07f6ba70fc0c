package org.mailhive.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a component's configuration (a ConfigAdmin dictionary, values usually strings from a
 * .cfg file) with Postfix-style syntax and collects every bad value instead of failing on the
 * first. A component reads all keys, and when {@link #problems()} is not empty it logs them with
 * {@link #describeProblems()} and keeps its previous configuration.
 */
public final class Settings {

    /** Property FileInstall adds: the .cfg file the configuration came from. */
    public static final String SOURCE_FILE = "felix.fileinstall.filename";

    private final Map<String, ?> props;
    private final List<String> problems = new ArrayList<>();

    public Settings(Map<String, ?> props) {
        this.props = props == null ? Map.of() : props;
    }

    /** The configuration file name for log lines, or the PID when it did not come from a file. */
    public String source() {
        Object file = props.get(SOURCE_FILE);
        if (file != null) {
            String f = file.toString();
            int slash = f.lastIndexOf('/');
            return slash >= 0 ? f.substring(slash + 1) : f;
        }
        Object pid = props.get("service.pid");
        return pid == null ? "(defaults)" : pid.toString();
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** One line per problem: {@code org.mailhive.smtp.listener~mta.cfg: port: not a number: "x"}. */
    public List<String> describeProblems() {
        List<String> lines = new ArrayList<>();
        for (String p : problems) lines.add(source() + ": " + p);
        return lines;
    }

    public void problem(String key, String reason) {
        problems.add(key + ": " + reason);
    }

    private String raw(String key) {
        Object v = props.get(key);
        if (v == null) return null;
        if (v instanceof String[] a) return String.join(", ", a);
        if (v instanceof Collection<?> c) return String.join(", ", c.stream().map(String::valueOf).toList());
        return v.toString().trim();
    }

    public String string(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    public int integer(String key, int fallback, int min, int max) {
        long v = longValue(key, fallback, min, max);
        return (int) v;
    }

    public long longValue(String key, long fallback, long min, long max) {
        String v = raw(key);
        if (v == null || v.isEmpty()) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                problem(key, "must be between " + min + " and " + max + ", got " + v);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "not a number: \"" + v + "\"");
            return fallback;
        }
    }

    public boolean bool(String key, boolean fallback) {
        String v = raw(key);
        if (v == null || v.isEmpty()) return fallback;
        switch (v.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1": return true;
            case "no", "false", "off", "0": return false;
            default:
                problem(key, "not yes/no: \"" + v + "\"");
                return fallback;
        }
    }

    /**
     * A size in bytes: a number with an optional k, m, g suffix (powers of 1024, as Dovecot).
     * 0 means unlimited where the component says so.
     */
    public long size(String key, long fallback) {
        String v = raw(key);
        if (v == null || v.isEmpty()) return fallback;
        try {
            return parseSize(v);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return fallback;
        }
    }

    /** A time as Postfix writes it: {@code 300s}, {@code 5m}, {@code 4h}, {@code 5d}, {@code 1w}; a bare number is seconds. */
    public Duration duration(String key, Duration fallback) {
        String v = raw(key);
        if (v == null || v.isEmpty()) return fallback;
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return fallback;
        }
    }

    /** A list separated by commas and/or white space, as Postfix lists are. */
    public List<String> list(String key, List<String> fallback) {
        String v = raw(key);
        if (v == null) return fallback;
        return splitList(v);
    }

    /** One value out of a fixed set. */
    public String choice(String key, String fallback, String... allowed) {
        String v = raw(key);
        if (v == null || v.isEmpty()) return fallback;
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) return a;
        }
        problem(key, "must be one of " + Arrays.toString(allowed) + ", got \"" + v + "\"");
        return fallback;
    }

    public static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split("[,\\s]+")) {
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }

    public static long parseSize(String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (!t.isEmpty()) {
            char last = t.charAt(t.length() - 1);
            switch (last) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> mult = 1;
            }
            if (mult != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t.trim());
            if (n < 0) throw new IllegalArgumentException("size must not be negative: \"" + v + "\"");
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: \"" + v + "\"");
        }
    }

    public static Duration parseDuration(String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) throw new IllegalArgumentException("empty time value");
        char last = t.charAt(t.length() - 1);
        long unit = switch (last) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86400;
            case 'w' -> 604800;
            default -> 0;
        };
        String num = unit == 0 ? t : t.substring(0, t.length() - 1);
        if (unit == 0) unit = 1;
        try {
            long n = Long.parseLong(num.trim());
            if (n < 0) throw new IllegalArgumentException("time must not be negative: \"" + v + "\"");
            return Duration.ofSeconds(Math.multiplyExact(n, unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a time (e.g. 300s, 5m, 4h, 5d): \"" + v + "\"");
        }
    }
}
