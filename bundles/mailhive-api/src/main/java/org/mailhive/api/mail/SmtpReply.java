package org.mailhive.api.mail;

import java.util.List;

/**
 * An SMTP reply as a value: code, enhanced status code and text lines. Handlers return
 * constants of this type; nothing builds reply strings by hand.
 */
public record SmtpReply(int code, EnhancedStatus status, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code out of range: " + code);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply needs text");
        for (String l : lines) {
            if (l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0) throw new IllegalArgumentException("CR/LF in reply text");
        }
        if (status != null && status.klass() != code / 100 && code / 100 != 3) {
            throw new IllegalArgumentException("enhanced status " + status + " does not match code " + code);
        }
    }

    public static SmtpReply of(int code, EnhancedStatus status, String text) {
        return new SmtpReply(code, status, List.of(text));
    }

    public static SmtpReply of(int code, String status, String text) {
        return new SmtpReply(code, status == null ? null : EnhancedStatus.parse(status), List.of(text));
    }

    /** The same code and status with another text (e.g. a detail added to a constant). */
    public SmtpReply withText(String text) {
        return new SmtpReply(code, status, List.of(text));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The first line's text with status code, as logged: {@code 550 5.1.1 User unknown}. */
    public String summary() {
        return code + (status == null ? "" : " " + status) + " " + lines.get(0);
    }

    /** The reply on the wire, CRLF terminated, multi-line with {@code code-}. */
    public String toWire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) sb.append(status).append(' ');
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
