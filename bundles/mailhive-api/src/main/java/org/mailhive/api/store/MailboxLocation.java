package org.mailhive.api.store;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a user's mail lives, in Dovecot's {@code mail_location} syntax after expansion of
 * {@code ~} and {@code %u}: {@code maildir:/home/alice/Maildir},
 * {@code mbox:/home/alice/mail:INBOX=/var/spool/mail/alice}. Only the store of that format
 * interprets {@code root} and the options; callers never build paths from it.
 *
 * <p>{@code owner}, when present, is the system account the mailbox belongs to (system users
 * mode with the server running as root): the store gives every directory and file it creates
 * for this mailbox to that uid and gid. Absent, files belong to the server's own account.
 */
public record MailboxLocation(String format, String root, Map<String, String> options, Optional<Owner> owner) {

    /** A numeric uid and primary gid, as in passwd(5); names are not needed to own a file. */
    public record Owner(int uid, int gid) {
        public Owner {
            if (uid < 0 || gid < 0) throw new IllegalArgumentException("negative uid or gid: " + uid + ":" + gid);
        }

        @Override
        public String toString() {
            return uid + ":" + gid;
        }
    }

    public MailboxLocation {
        format = format.toLowerCase(Locale.ROOT);
        options = Map.copyOf(options);
        owner = Objects.requireNonNull(owner, "owner");
    }

    /** A location whose files belong to the server's own account. */
    public MailboxLocation(String format, String root, Map<String, String> options) {
        this(format, root, options, Optional.empty());
    }

    /** The same mailbox, owned by {@code owner}. */
    public MailboxLocation withOwner(Owner newOwner) {
        return new MailboxLocation(format, root, options, Optional.of(newOwner));
    }

    /** Parses {@code format:root[:KEY=value]…}; the result has no owner. */
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

    /** The {@code mail_location} text; the owner is not part of it (it never appears in a configuration). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(format).append(':').append(root);
        options.forEach((k, v) -> sb.append(':').append(k).append('=').append(v));
        return sb.toString();
    }
}
