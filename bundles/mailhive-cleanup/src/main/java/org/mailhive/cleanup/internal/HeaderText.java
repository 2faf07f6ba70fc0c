package org.mailhive.cleanup.internal;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailhive.api.mail.Envelope;

/** Builds the header lines cleanup adds: Received, Date, Message-ID. Pure functions. */
final class HeaderText {

    static final int FOLD_AT = 78;
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);
    /** Stands for a space where no fold may happen; clean() keeps it out of envelope values. */
    private static final String KEEP = "\u0001";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private HeaderText() {
    }

    static String date(ZonedDateTime t) {
        return RFC5322.format(t);
    }

    static String messageId(String queueId, ZonedDateTime t, String host) {
        return "<" + queueId + "." + STAMP.format(t) + "@" + host + ">";
    }

    /**
     * {@code Received: from helo (name [addr])} / {@code by host (Mailhive) with P id ID} /
     * {@code for <rcpt>; date}, each clause on its own line and folded at 78 columns where a
     * space allows. Local submissions (no client address) get {@code by host (Mailhive, from userid U)}.
     */
    static String received(Envelope env, String host, String queueId, ZonedDateTime t) {
        List<String> clauses = new ArrayList<>();
        String addr = clean(env.attribute(Envelope.CLIENT_ADDRESS, ""));
        String protocol = clean(env.attribute(Envelope.PROTOCOL, ""));
        if (!addr.isEmpty()) {
            String name = clean(env.attribute(Envelope.CLIENT_NAME, "unknown"));
            String helo = clean(env.attribute(Envelope.HELO, ""));
            if (name.isEmpty()) name = "unknown";
            if (helo.isEmpty()) helo = name;
            clauses.add("Received: from " + helo + " (" + name + " [" + addr + "])");
            String tls = clean(env.attribute(Envelope.TLS, ""));
            if (!tls.isEmpty()) {
                // as Postfix's smtpd_tls_received_header: readers can tell a hop was encrypted
                clauses.add("(using " + tls + ")");
            }
            clauses.add("by " + host + " (Mailhive) with " + (protocol.isEmpty() ? "SMTP" : protocol) + " id " + queueId);
        } else {
            String user = clean(env.attribute(Envelope.AUTH_USER, ""));
            String by = "Received: by " + host + " (Mailhive" + (user.isEmpty() ? "" : ", from userid " + user) + ")";
            clauses.add(by + (protocol.isEmpty() ? "" : " with " + protocol) + " id " + queueId);
        }
        // the date is folded as one word: a break inside it would be legal but hard to read
        String when = date(t).replace(" ", KEEP);
        if (env.recipients().size() == 1) {
            clauses.add("for <" + clean(env.recipients().get(0).address().toString()) + ">; " + when);
        } else {
            int last = clauses.size() - 1;
            clauses.set(last, clauses.get(last) + "; " + when);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < clauses.size(); i++) {
            fold(sb, clauses.get(i), i > 0);
        }
        return sb.toString();
    }

    /** Appends one clause, starting a continuation line when asked, breaking at spaces before column 78. */
    static void fold(StringBuilder sb, String clause, boolean continuation) {
        int col = 0;
        if (continuation) {
            sb.append('\t');
            col = 8;
        }
        boolean first = true;
        for (String word : clause.split(" ")) {
            if (word.isEmpty()) continue;
            if (!first && col + 1 + word.length() > FOLD_AT) {
                sb.append("\r\n\t");
                col = 8;
            } else if (!first) {
                sb.append(' ');
                col++;
            }
            sb.append(word.replace(KEEP, " "));
            col += word.length();
            first = false;
        }
        sb.append("\r\n");
    }

    /** Envelope text reaches the header only without controls, so no client can inject a line. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && sb.length() < 255; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString().trim();
    }

    /**
     * A display name for a From: line: as is when it is plain atoms, quoted when it holds
     * specials, an RFC 2047 encoded word when it is not ASCII. Controls never pass.
     */
    static String displayName(String name) {
        String n = clean(name).strip();
        boolean ascii = n.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (!ascii) {
            return "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(n.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "?=";
        }
        if (n.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+")) return n;
        return '"' + n.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
