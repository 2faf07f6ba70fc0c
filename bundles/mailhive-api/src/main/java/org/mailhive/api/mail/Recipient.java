package org.mailhive.api.mail;

import java.util.Map;

/**
 * An envelope recipient with its RCPT parameters (RFC 3461 NOTIFY, ORCPT) kept as given.
 */
public record Recipient(MailAddress address, Map<String, String> parameters) {

    public static final String NOTIFY = "NOTIFY";
    public static final String ORCPT = "ORCPT";

    public Recipient {
        parameters = Map.copyOf(parameters);
    }

    public static Recipient of(MailAddress address) {
        return new Recipient(address, Map.of());
    }
}
