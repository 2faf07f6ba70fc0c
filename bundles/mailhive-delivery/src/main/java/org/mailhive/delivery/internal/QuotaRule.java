package org.mailhive.delivery.internal;

import java.util.Locale;

/**
 * A Dovecot {@code quota_rule} for the whole mailbox: {@code *:storage=100M}. As in Dovecot a bare
 * storage number is in kilobytes, {@code bytes=} is in bytes, suffixes b, k, M, G, T (optionally
 * followed by B) are powers of 1024, and 0 means unlimited. Only the {@code *} (every folder) rule
 * and the storage limit are understood; anything else is refused rather than silently ignored.
 */
record QuotaRule(long storageBytes) {

    static final QuotaRule UNLIMITED = new QuotaRule(0);

    boolean unlimited() {
        return storageBytes <= 0;
    }

    static QuotaRule parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty quota rule");
        int colon = t.indexOf(':');
        if (colon < 0 || !t.substring(0, colon).trim().equals("*")) {
            throw new IllegalArgumentException("quota rule must look like *:storage=100M, got \"" + text + "\"");
        }
        Long bytes = null;
        for (String limit : t.substring(colon + 1).split(":")) {
            int eq = limit.indexOf('=');
            String name = eq < 0 ? limit.trim() : limit.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (eq < 0 || bytes != null || !(name.equals("storage") || name.equals("bytes"))) {
                throw new IllegalArgumentException("only one *:storage=<size> limit is supported, got \"" + text + "\"");
            }
            bytes = size(limit.substring(eq + 1).trim(), name.equals("storage") ? 1024 : 1, text);
        }
        if (bytes == null) throw new IllegalArgumentException("quota rule without a limit: \"" + text + "\"");
        return new QuotaRule(bytes);
    }

    private static long size(String v, long bareUnit, String text) {
        int end = v.length();
        if (end > 1 && (v.charAt(end - 1) == 'B' || v.charAt(end - 1) == 'b')
                && !Character.isDigit(v.charAt(end - 2))) {
            end--;
        }
        long unit = bareUnit;
        if (end > 0 && !Character.isDigit(v.charAt(end - 1))) {
            unit = switch (Character.toLowerCase(v.charAt(end - 1))) {
                case 'b' -> 1L;
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> throw new IllegalArgumentException("unknown size unit in \"" + text + "\"");
            };
            end--;
        }
        String digits = v.substring(0, end);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a size in \"" + text + "\"");
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("size too large in \"" + text + "\"");
        }
    }
}
