package org.mailhive.api.mail;

import java.util.Locale;
import java.util.Objects;

/**
 * An envelope address: local part and domain, or the null reverse path {@code <>}.
 * The domain is kept in lower case without a trailing dot; the local part as given, because
 * only the final destination may interpret it (RFC 5321 section 2.4).
 */
public record MailAddress(String localPart, String domain) {

    /** The null reverse path {@code <>} used by bounces. */
    public static final MailAddress NULL_SENDER = new MailAddress("", "");

    /** Longest local part (RFC 5321 section 4.5.3.1.1). */
    public static final int MAX_LOCAL_PART = 64;
    /** Longest domain (RFC 5321 section 4.5.3.1.2). */
    public static final int MAX_DOMAIN = 255;

    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        domain = normalizeDomain(domain);
    }

    public static MailAddress of(String localPart, String domain) {
        return new MailAddress(localPart, domain);
    }

    /**
     * Parses {@code user@domain} (no angle brackets). Quoted local parts are accepted.
     * @throws IllegalArgumentException with a reason when the text is not an address
     */
    public static MailAddress parse(String text) {
        return AddressParser.parseMailbox(text, 0, text.length(), true);
    }

    /**
     * Parses an SMTP path such as {@code <user@domain>}, {@code <@relay:user@domain>} (the source
     * route is ignored as RFC 5321 section 3.3 says), or {@code <>} when {@code allowNull}.
     * @throws IllegalArgumentException with a reason when the text is not a path
     */
    public static MailAddress parsePath(String path, boolean allowNull) {
        return AddressParser.parsePath(path, allowNull);
    }

    public boolean isNullSender() {
        return localPart.isEmpty() && domain.isEmpty();
    }

    /** The address with the local part in lower case: the key for user and alias lookups. */
    public String lookupKey() {
        return isNullSender() ? "" : localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** {@code <user@domain>} or {@code <>}. */
    public String toPath() {
        return "<" + this + ">";
    }

    @Override
    public String toString() {
        return isNullSender() ? "" : localPart + "@" + domain;
    }

    static String normalizeDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".") && !d.startsWith("[")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }
}
