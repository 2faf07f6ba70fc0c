package org.mailhive.queue.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

/**
 * The text form of {@link QueueFile}. One {@code key=value} per line; every variable text is
 * percent-escaped (space, {@code = , @ %}, controls and all non-ASCII bytes of its UTF-8 form), so
 * no value can split a line or a field, whatever a client sent. The file ends with {@code end}
 * so a truncated file is recognised instead of being read as a message with fewer recipients.
 */
final class EnvelopeCodec {

    static final int VERSION = 1;

    private EnvelopeCodec() {
    }

    static String encode(QueueFile f) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("version=").append(VERSION).append('\n');
        sb.append("sender=").append(address(f.sender())).append('\n');
        sb.append("arrival=").append(f.arrival().toEpochMilli()).append('\n');
        sb.append("attempts=").append(f.attempts()).append('\n');
        sb.append("next_try=").append(f.nextTry().toEpochMilli()).append('\n');
        sb.append("reason=").append(escape(f.lastReason())).append('\n');
        if (f.warned()) sb.append("warned=1\n");
        for (Map.Entry<String, String> a : new java.util.TreeMap<>(f.attributes()).entrySet()) {
            sb.append("attr=").append(escape(a.getKey())).append(' ').append(escape(a.getValue())).append('\n');
        }
        for (QueuedRecipient r : f.recipients()) {
            sb.append("rcpt=").append(address(r.recipient().address()))
                    .append(' ').append(r.status().word())
                    .append(' ').append(escape(r.dsn()))
                    .append(' ').append(escape(r.reason()))
                    .append(' ');
            boolean first = true;
            for (Map.Entry<String, String> p : new java.util.TreeMap<>(r.recipient().parameters()).entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(escape(p.getKey())).append('=').append(escape(p.getValue()));
            }
            if (!r.relay().isEmpty()) {
                // an empty parameter list must stay visible as a field of its own
                sb.append(' ').append(escape(r.relay()));
            }
            sb.append('\n');
        }
        sb.append("end\n");
        return sb.toString();
    }

    /** @throws IllegalArgumentException when the text is not a complete envelope of a known version */
    static QueueFile decode(String text) {
        MailAddress sender = null;
        Instant arrival = null;
        Instant nextTry = null;
        int attempts = 0;
        String reason = "";
        boolean warned = false;
        Map<String, String> attrs = new LinkedHashMap<>();
        List<QueuedRecipient> rcpts = new ArrayList<>();
        boolean versionSeen = false;
        boolean ended = false;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue;
            if (ended) throw new IllegalArgumentException("data after end marker");
            if (line.equals("end")) {
                ended = true;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad envelope line: " + line);
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "version" -> {
                    if (!value.equals(Integer.toString(VERSION))) {
                        throw new IllegalArgumentException("unknown envelope version " + value);
                    }
                    versionSeen = true;
                }
                case "sender" -> sender = parseAddress(value);
                case "arrival" -> arrival = Instant.ofEpochMilli(Long.parseLong(value));
                case "attempts" -> attempts = Integer.parseInt(value);
                case "next_try" -> nextTry = Instant.ofEpochMilli(Long.parseLong(value));
                case "reason" -> reason = unescape(value);
                case "warned" -> warned = value.equals("1");
                case "attr" -> {
                    String[] kv = value.split(" ", -1);
                    if (kv.length != 2) throw new IllegalArgumentException("bad attr line");
                    attrs.put(unescape(kv[0]), unescape(kv[1]));
                }
                case "rcpt" -> rcpts.add(parseRecipient(value));
                default -> {
                    // a key from a newer minor revision: carried by nobody, safe to skip
                }
            }
        }
        if (!versionSeen || !ended || sender == null || arrival == null || nextTry == null) {
            throw new IllegalArgumentException("incomplete envelope");
        }
        return new QueueFile(sender, arrival, attrs, rcpts, attempts, nextTry, reason, warned);
    }

    private static QueuedRecipient parseRecipient(String value) {
        String[] f = value.split(" ", -1);
        if (f.length != 5 && f.length != 6) throw new IllegalArgumentException("bad rcpt line");
        Map<String, String> params = new LinkedHashMap<>();
        if (!f[4].isEmpty()) {
            for (String p : f[4].split(",", -1)) {
                int eq = p.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("bad rcpt parameter");
                params.put(unescape(p.substring(0, eq)), unescape(p.substring(eq + 1)));
            }
        }
        Recipient r = new Recipient(parseAddress(f[0]), params);
        return new QueuedRecipient(r, RecipientStatus.fromWord(f[1]), unescape(f[2]), unescape(f[3]),
                f.length == 6 ? unescape(f[5]) : "");
    }

    /** Local part and domain escaped separately: a quoted local part may itself hold {@code @}. */
    private static String address(MailAddress a) {
        return escape(a.localPart()) + "@" + escape(a.domain());
    }

    private static MailAddress parseAddress(String v) {
        int at = v.indexOf('@');
        if (at < 0 || v.indexOf('@', at + 1) >= 0) throw new IllegalArgumentException("bad address field");
        return new MailAddress(unescape(v.substring(0, at)), unescape(v.substring(at + 1)));
    }

    static String escape(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '=' || c == ',' || c == '@') {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new IllegalArgumentException("bad escape");
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
