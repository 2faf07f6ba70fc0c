package org.mailhive.api.store;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a user's mail lives, in Dovecot's {@code mail_location} syntax after expansion of
 * {@code ~} and {@code %u}: {@code maildir:/home/alice/Maildir},
 * {@code mbox:/home/alice/mail:INBOX=/var/spool/mail/alice}. Only the store of that format
 * interprets {@code root} and the options; callers never build paths from it.
 */
public record MailboxLocation(String format, String root, Map<String, String> options) {

    public MailboxLocation {
        format = format.toLowerCase(Locale.ROOT);
        options = Map.copyOf(options);
    }

    /** Parses {@code format:root[:KEY=value]…}. */
    public static MailboxLocation parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("mail location needs format:path, got " + spec);
        String format = spec.substring(0, colon);
        String[] parts = spec.substring(colon + 1).split(":", -1);
        if (parts[0].isEmpty()) throw new IllegalArgumentException("mail location has no path: " + spec);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad mail location option '" + parts[i] + "' in " + spec);
            options.put(parts[i].substring(0, eq).toUpperCase(Locale.ROOT), parts[i].substring(eq + 1));
        }
        return new MailboxLocation(format, parts[0], options);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(format).append(':').append(root);
        options.forEach((k, v) -> sb.append(':').append(k).append('=').append(v));
        return sb.toString();
    }
}
