package org.mailhive.store.mbox.internal;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The mboxrd conventions shared by writer, scanner and reader: From_ lines, quoting, status headers. */
final class MboxFormat {

    static final String SEEN = "\\Seen";
    static final String ANSWERED = "\\Answered";
    static final String FLAGGED = "\\Flagged";
    static final String DELETED = "\\Deleted";
    static final String DRAFT = "\\Draft";

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
    private static final Pattern FROM_DATE = Pattern.compile(
            "([A-Z][a-z]{2}) +([A-Z][a-z]{2}) +(\\d{1,2}) +(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?: +[A-Za-z+-][A-Za-z0-9]*)? +(\\d{4})");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private MboxFormat() {
    }

    /** {@code From alice@example.org Tue Nov 24 05:13:52 2026} followed by LF. */
    static byte[] fromLine(String sender, Instant date, ZoneId zone) {
        String line = "From " + sender + " " + ASCTIME.format(LocalDateTime.ofInstant(date, zone)) + "\n";
        return line.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The envelope sender for the From_ line out of a first header line {@code Return-Path: <a@b>};
     * MAILER-DAEMON for the null sender, a missing header or anything that is not a plain address.
     */
    static String senderFrom(String firstLine) {
        if (firstLine == null || firstLine.length() < 12
                || !firstLine.regionMatches(true, 0, "Return-Path:", 0, 12)) {
            return "MAILER-DAEMON";
        }
        String v = firstLine.substring(12).trim();
        if (v.startsWith("<") && v.endsWith(">")) v = v.substring(1, v.length() - 1).trim();
        if (v.isEmpty() || v.length() > 320) return "MAILER-DAEMON";
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '<' || c == '>') return "MAILER-DAEMON";
        }
        return v;
    }

    /** The date of a From_ line as written by us, mutt, mailutils or Postfix; null when there is none. */
    static Instant fromLineDate(String fromLine, ZoneId zone) {
        Matcher m = FROM_DATE.matcher(fromLine);
        if (!m.find()) return null;
        int month = MONTHS.indexOf(m.group(2));
        if (month < 0 || month % 3 != 0) return null;
        try {
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(m.group(7)), month / 3 + 1,
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            return t.atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A line matching {@code ^>*From } (quoted once more on write, unquoted once on read when it has a '>'). */
    static boolean isFromLike(byte[] b, int start, int len) {
        int i = start;
        int end = start + len;
        while (i < end && b[i] == '>') i++;
        return end - i >= 5 && b[i] == 'F' && b[i + 1] == 'r' && b[i + 2] == 'o' && b[i + 3] == 'm' && b[i + 4] == ' ';
    }

    static boolean isQuotedFrom(byte[] b, int start, int len) {
        return len > 0 && b[start] == '>' && isFromLike(b, start, len);
    }

    /**
     * Headers this store owns: flags (mutt's Status/X-Status, X-Keywords) and other IMAP servers'
     * UID bookkeeping. They are dropped from incoming mail and hidden from readers, so the bytes a
     * client retrieves do not change when only flags do.
     */
    static boolean isMetaHeader(String name) {
        return name.equalsIgnoreCase("Status") || name.equalsIgnoreCase("X-Status")
                || name.equalsIgnoreCase("X-Keywords") || name.equalsIgnoreCase("X-UID")
                || name.equalsIgnoreCase("X-IMAP") || name.equalsIgnoreCase("X-IMAPbase");
    }

    /** Adds the flags one meta header line ({@code Status: RO}) stands for. */
    static void parseMetaHeader(String line, Set<String> flags) {
        int colon = line.indexOf(':');
        if (colon < 0) return;
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
            if (value.indexOf('R') >= 0) flags.add(SEEN);
        } else if (name.equalsIgnoreCase("X-Status")) {
            if (value.indexOf('A') >= 0) flags.add(ANSWERED);
            if (value.indexOf('F') >= 0) flags.add(FLAGGED);
            if (value.indexOf('D') >= 0) flags.add(DELETED);
            if (value.indexOf('T') >= 0) flags.add(DRAFT);
        } else if (name.equalsIgnoreCase("X-Keywords")) {
            for (String k : value.split("[,\\s]+")) {
                if (isKeyword(k)) flags.add(k);
            }
        }
    }

    /** The meta header lines for a set of flags, LF-terminated; empty when there is nothing to say. */
    static byte[] metaHeaders(Set<String> flags, boolean old) {
        Set<String> norm = normalize(flags);
        StringBuilder sb = new StringBuilder();
        boolean seen = norm.contains(SEEN);
        if (seen || old) sb.append("Status: ").append(seen ? "RO" : "O").append('\n');
        StringBuilder x = new StringBuilder();
        if (norm.contains(ANSWERED)) x.append('A');
        if (norm.contains(FLAGGED)) x.append('F');
        if (norm.contains(DRAFT)) x.append('T');
        if (norm.contains(DELETED)) x.append('D');
        if (x.length() > 0) sb.append("X-Status: ").append(x).append('\n');
        StringBuilder kw = new StringBuilder();
        for (String f : norm) {
            if (!f.startsWith("\\")) kw.append(kw.length() == 0 ? "" : " ").append(f);
        }
        if (kw.length() > 0) sb.append("X-Keywords: ").append(kw).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The flags this store can keep, system flags in their canonical spelling; \Recent and
     * anything that is not an atom are dropped.
     */
    static Set<String> normalize(Set<String> flags) {
        Set<String> out = new TreeSet<>();
        if (flags == null) return out;
        for (String f : flags) {
            if (f == null) continue;
            String canon = switch (f.toLowerCase(Locale.ROOT)) {
                case "\\seen" -> SEEN;
                case "\\answered" -> ANSWERED;
                case "\\flagged" -> FLAGGED;
                case "\\deleted" -> DELETED;
                case "\\draft" -> DRAFT;
                default -> isKeyword(f) ? f : null;
            };
            if (canon != null) out.add(canon);
        }
        return out;
    }

    static boolean isKeyword(String k) {
        if (k.isEmpty() || k.length() > 100) return false;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) return false;
        }
        return true;
    }

    static Set<String> newFlagSet() {
        return new LinkedHashSet<>();
    }
}
