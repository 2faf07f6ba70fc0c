package org.mailhive.bounce.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;

/**
 * Writes an RFC 3464 multipart/report: a human explanation, the machine-readable
 * message/delivery-status, and the original (message/rfc822, or text/rfc822-headers per RFC 6522)
 * copied from its stream so that no message is ever held in memory whole.
 */
final class DsnWriter {

    /** Envelope attribute the queue sets: arrival time in epoch milliseconds, for Arrival-Date. */
    static final String ARRIVAL = "queue.arrival";

    static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);
    /** An SMTP reply inside a free-text reason: three digits, then a space or dash. */
    private static final Pattern SMTP_REPLY = Pattern.compile("(?:^|\\s|:)([245]\\d\\d[ -].*)$");
    private static final Pattern RELAY_HOST = Pattern.compile("^([A-Za-z0-9.-]+)\\[[^\\]]*\\](?::\\d+)?$");

    private DsnWriter() {
    }

    static String boundary(Notice n) {
        return n.id().value() + "." + n.now().toInstant().toEpochMilli() + "/" + n.host();
    }

    static void write(Notice n, MessageContent original, OutputStream out) throws IOException {
        String boundary = boundary(n);
        boolean eightBit = isEightBit(n.original());
        StringBuilder h = new StringBuilder(1024);
        h.append("From: MAILER-DAEMON@").append(n.host()).append(" (Mail Delivery System)\r\n");
        h.append("To: <").append(ascii(n.to().toString())).append(">\r\n");
        h.append("Subject: ").append(n.kind().subject).append("\r\n");
        h.append("Date: ").append(RFC5322_DATE.format(n.now())).append("\r\n");
        h.append("Message-ID: <").append(n.id().value()).append('.').append(n.now().toInstant().toEpochMilli())
                .append(".dsn@").append(n.host()).append(">\r\n");
        h.append("Auto-Submitted: auto-replied\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: multipart/report; report-type=delivery-status;\r\n");
        h.append("\tboundary=\"").append(boundary).append("\"\r\n");
        h.append("Content-Transfer-Encoding: ").append(eightBit ? "8bit" : "7bit").append("\r\n");
        h.append("\r\n");
        h.append("This is a MIME-encapsulated message.\r\n\r\n");

        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Description: Notification\r\n");
        h.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        explanation(n, h);
        h.append("\r\n");

        h.append("--").append(boundary).append("\r\n");
        h.append("Content-Description: Delivery report\r\n");
        h.append("Content-Type: message/delivery-status\r\n\r\n");
        deliveryStatus(n, h);

        h.append("--").append(boundary).append("\r\n");
        if (n.headersOnly()) {
            h.append("Content-Description: Undelivered Message Headers\r\n");
            h.append("Content-Type: text/rfc822-headers\r\n");
        } else {
            h.append("Content-Description: ").append(n.kind() == Notice.Kind.DELAYED ? "Delayed" : "Undelivered")
                    .append(" Message\r\n");
            h.append("Content-Type: message/rfc822\r\n");
        }
        if (eightBit) h.append("Content-Transfer-Encoding: 8bit\r\n");
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));

        boolean endsWithNewline;
        try (InputStream in = new BufferedInputStream(original.openStream(), 16 * 1024)) {
            endsWithNewline = n.headersOnly() ? copyHeaders(in, out) : copyAll(in, out);
        }
        StringBuilder tail = new StringBuilder();
        if (!endsWithNewline) tail.append("\r\n");
        tail.append("\r\n--").append(boundary).append("--\r\n");
        out.write(tail.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void explanation(Notice n, StringBuilder h) {
        h.append("This is the mail system at host ").append(n.host()).append(".\r\n\r\n");
        switch (n.kind()) {
            case FAILED -> h.append("Your message could not be delivered to one or more of its recipients.\r\n")
                    .append("The reasons are listed below; the message itself is attached.\r\n");
            case DELAYED -> h.append("Your message has not been delivered yet to one or more of its recipients.\r\n")
                    .append("Delivery is still being retried; you need not send it again.\r\n")
                    .append("You will be notified if it finally fails.\r\n");
            case POSTMASTER_COPY -> h.append("A message could not be delivered and was returned to its sender\r\n")
                    .append("<").append(ascii(n.original().sender().toString())).append(">. This is your copy.\r\n");
            case DOUBLE_BOUNCE -> h.append("A message from the null sender (a delivery notification itself)\r\n")
                    .append("could not be delivered. It is not returned to anyone else.\r\n");
            default -> throw new IllegalStateException();
        }
        h.append("\r\nFor help, write to the postmaster of this site and include this report.\r\n\r\n");
        h.append("                   The mail system\r\n\r\n");
        for (RecipientResult r : n.results()) {
            h.append('<').append(ascii(r.recipient().toString())).append(">: ")
                    .append(ascii(r.reason() == null || r.reason().isEmpty() ? "(no reason given)" : r.reason()))
                    .append("\r\n");
        }
    }

    private static void deliveryStatus(Notice n, StringBuilder h) {
        Envelope env = n.original();
        h.append("Reporting-MTA: dns; ").append(n.host()).append("\r\n");
        h.append("X-Mailhive-Queue-ID: ").append(n.id().value()).append("\r\n");
        h.append("X-Mailhive-Sender: rfc822; ").append(ascii(env.sender().toString())).append("\r\n");
        String envid = env.attribute(Envelope.DSN_ENVID, "");
        if (!envid.isEmpty()) h.append("Original-Envelope-Id: ").append(ascii(envid)).append("\r\n");
        String arrival = env.attribute(ARRIVAL, "");
        if (!arrival.isEmpty()) {
            try {
                Instant at = Instant.ofEpochMilli(Long.parseLong(arrival));
                h.append("Arrival-Date: ").append(RFC5322_DATE.format(at.atZone(ZoneOffset.UTC))).append("\r\n");
            } catch (NumberFormatException e) {
                // a foreign value: the field is optional
            }
        }
        h.append("\r\n");
        for (RecipientResult r : n.results()) {
            h.append("Final-Recipient: rfc822; ").append(ascii(r.recipient().toString())).append("\r\n");
            String orcpt = originalRecipient(env, r);
            if (orcpt != null) h.append("Original-Recipient: ").append(orcpt).append("\r\n");
            h.append("Action: ").append(n.kind().action).append("\r\n");
            String status = r.dsn() != null ? r.dsn().toString()
                    : n.kind() == Notice.Kind.DELAYED ? "4.0.0" : "5.0.0";
            h.append("Status: ").append(status).append("\r\n");
            String remote = remoteMta(r.relay());
            if (remote != null) h.append("Remote-MTA: dns; ").append(remote).append("\r\n");
            h.append("Diagnostic-Code: ").append(diagnostic(r.reason())).append("\r\n");
            h.append("\r\n");
        }
    }

    /** The ORCPT of this recipient as {@code type; address}, xtext decoded (RFC 3461 section 4.2). */
    static String originalRecipient(Envelope env, RecipientResult r) {
        for (Recipient rcpt : env.recipients()) {
            if (!rcpt.address().lookupKey().equals(r.recipient().lookupKey())) continue;
            String v = rcpt.parameters().get(Recipient.ORCPT);
            if (v == null) {
                for (Map.Entry<String, String> e : rcpt.parameters().entrySet()) {
                    if (e.getKey().equalsIgnoreCase(Recipient.ORCPT)) v = e.getValue();
                }
            }
            if (v == null) return null;
            int semi = v.indexOf(';');
            if (semi <= 0) return null;
            return ascii(v.substring(0, semi).trim()) + "; " + ascii(xtextDecode(v.substring(semi + 1).trim()));
        }
        return null;
    }

    static String xtextDecode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && i + 3 <= s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the plus
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** The host name of a remote relay such as {@code mx.example.org[192.0.2.1]:25}; null for local ones. */
    static String remoteMta(String relay) {
        if (relay == null) return null;
        Matcher m = RELAY_HOST.matcher(relay.trim());
        return m.matches() ? m.group(1) : null;
    }

    /** {@code smtp; 550 5.1.1 ...} when the reason quotes an SMTP reply, else {@code X-Mailhive; reason}. */
    static String diagnostic(String reason) {
        String r = ascii(reason == null ? "" : reason);
        Matcher m = SMTP_REPLY.matcher(r);
        if (m.find()) return "smtp; " + m.group(1).trim();
        return "X-Mailhive; " + (r.isEmpty() ? "unknown" : r);
    }

    private static boolean isEightBit(Envelope env) {
        String body = env.attribute(Envelope.BODY, "");
        return body.equalsIgnoreCase("8BITMIME") || body.equalsIgnoreCase("BINARYMIME")
                || !env.attribute(Envelope.SMTPUTF8, "").isEmpty();
    }

    /** Printable ASCII on one line: what may appear in a header field or the report. */
    static String ascii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                sb.append(' ');
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append('?');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Copies the whole message; true when it ended with a line break. */
    private static boolean copyAll(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int last = '\n';
        int n;
        boolean any = false;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            last = buf[n - 1];
            any = true;
        }
        return !any || last == '\n';
    }

    /** Copies the header section without the empty line that ends it; true when it ended with a line break. */
    private static boolean copyHeaders(InputStream in, OutputStream out) throws IOException {
        int prev = '\n';
        int c;
        boolean atLineStart = true;
        while ((c = in.read()) >= 0) {
            if (atLineStart && (c == '\r' || c == '\n')) {
                // an empty line: the body starts here
                return true;
            }
            out.write(c);
            atLineStart = c == '\n';
            prev = c;
        }
        return prev == '\n';
    }
}
