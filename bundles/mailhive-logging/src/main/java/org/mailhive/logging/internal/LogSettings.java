package org.mailhive.logging.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Logging settings from system properties (set by bin/mailhive), since logging starts before
 * ConfigAdmin:
 * <ul>
 * <li>{@code mailhive.log.level} (default INFO);</li>
 * <li>{@code mailhive.log.levels} ({@code org.apache.mina=WARN,org.mailhive.smtp=DEBUG});</li>
 * <li>{@code mailhive.maillog} (default {@code ${mailhive.data}/log/mail.log}; {@code none}
 * disables it);</li>
 * <li>{@code mailhive.maillog.rotate_size} (default {@code 50m}): the mail log is rotated before a
 * line would make it larger than this; a number of bytes with an optional {@code k}, {@code m} or
 * {@code g} suffix (powers of 1024); {@code 0} never rotates, for an external logrotate;</li>
 * <li>{@code mailhive.maillog.rotate_keep} (default 7): how many rotated files
 * ({@code mail.log.1} newest … {@code mail.log.N} oldest) are kept; 0 keeps none;</li>
 * <li>{@code mailhive.log.console} (true).</li>
 * </ul>
 * A bad value is reported once on the console and its default used: logging must start anyway.
 */
record LogSettings(Level rootLevel, Map<String, Level> levels, Path mailLog, boolean console, String hostname,
        long rotateSize, int rotateKeep, List<String> problems) {

    /** Threshold of a logger switched off ("OFF" in mailhive.log.levels): above every level. */
    static final int OFF = Integer.MAX_VALUE;
    static final long DEFAULT_ROTATE_SIZE = 50L << 20;
    static final int DEFAULT_ROTATE_KEEP = 7;

    LogSettings(Level rootLevel, Map<String, Level> levels, Path mailLog, boolean console, String hostname) {
        this(rootLevel, levels, mailLog, console, hostname, DEFAULT_ROTATE_SIZE, DEFAULT_ROTATE_KEEP, List.of());
    }

    static LogSettings fromSystemProperties() {
        Level root = parse(System.getProperty("mailhive.log.level", "INFO"), Level.INFO);
        Map<String, Level> levels = new LinkedHashMap<>();
        // chatty libraries are quiet unless asked for
        levels.put("org.apache.mina", Level.WARN);
        levels.put("org.apache.aries.spifly", Level.WARN);
        // MINA reports a client's connection reset here at ERROR; the protocol handlers already
        // see the same exception and log it at the level it deserves
        levels.put("org.apache.mina.core.service.IoProcessor", null);
        String spec = System.getProperty("mailhive.log.levels", "");
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String value = part.substring(eq + 1).trim();
                levels.put(part.substring(0, eq).trim(), value.equalsIgnoreCase("OFF") ? null : parse(value, root));
            }
        }
        String ml = System.getProperty("mailhive.maillog");
        Path mailLog = null;
        if (ml == null || ml.isBlank()) {
            String data = System.getProperty("mailhive.data");
            if (data != null && !data.isBlank()) mailLog = Path.of(data, "log", "mail.log");
        } else if (!ml.equalsIgnoreCase("none")) {
            mailLog = Path.of(ml);
        }
        boolean console = !"false".equalsIgnoreCase(System.getProperty("mailhive.log.console", "true"));
        List<String> problems = new ArrayList<>();
        String sizeText = System.getProperty("mailhive.maillog.rotate_size", "50m");
        long size = parseSize(sizeText);
        if (size < 0) {
            problems.add("mailhive.maillog.rotate_size: not a size: \"" + sizeText + "\"; using 50m");
            size = DEFAULT_ROTATE_SIZE;
        }
        String keepText = System.getProperty("mailhive.maillog.rotate_keep", String.valueOf(DEFAULT_ROTATE_KEEP));
        int keep;
        try {
            keep = Integer.parseInt(keepText.trim());
        } catch (NumberFormatException e) {
            keep = -1;
        }
        if (keep < 0 || keep > 1000) {
            problems.add("mailhive.maillog.rotate_keep: not a number 0..1000: \"" + keepText + "\"; using "
                    + DEFAULT_ROTATE_KEEP);
            keep = DEFAULT_ROTATE_KEEP;
        }
        return new LogSettings(root, levels, mailLog, console, shortHostname(), size, keep, List.copyOf(problems));
    }

    /** {@code 50m} → 52428800; -1 when malformed. */
    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) return -1;
        int shift = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        return Long.parseLong(digits) << shift;
    }

    /** The level of the most specific configured prefix; null means the logger is off. */
    Level levelFor(String logger) {
        Level best = rootLevel;
        int bestLen = -1;
        for (Map.Entry<String, Level> e : levels.entrySet()) {
            String p = e.getKey();
            if ((logger.equals(p) || logger.startsWith(p + ".")) && p.length() > bestLen) {
                best = e.getValue();
                bestLen = p.length();
            }
        }
        return best;
    }

    int thresholdFor(String logger) {
        Level l = levelFor(logger);
        return l == null ? OFF : l.toInt();
    }

    private static Level parse(String s, Level fallback) {
        try {
            return Level.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static String shortHostname() {
        try {
            String h = java.net.InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (Exception e) {
            return "localhost";
        }
    }
}
