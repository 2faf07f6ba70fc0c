package org.mailhive.logging.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Logging settings from system properties (set by bin/mailhive), since logging starts before
 * ConfigAdmin: {@code mailhive.log.level} (default INFO), {@code mailhive.log.levels}
 * ({@code org.apache.mina=WARN,org.mailhive.smtp=DEBUG}), {@code mailhive.maillog} (default
 * {@code ${mailhive.data}/log/mail.log}; {@code none} disables it), {@code mailhive.log.console}
 * (true).
 */
record LogSettings(Level rootLevel, Map<String, Level> levels, Path mailLog, boolean console, String hostname) {

    /** Threshold of a logger switched off ("OFF" in mailhive.log.levels): above every level. */
    static final int OFF = Integer.MAX_VALUE;

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
        return new LogSettings(root, levels, mailLog, console, shortHostname());
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
