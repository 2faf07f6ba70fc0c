package org.mailhive.api.mail;

import java.util.List;
import java.util.Map;

/**
 * The SMTP envelope of one message and what is known about how it arrived. Attribute keys
 * are the constants below; unknown keys are carried along untouched.
 */
public record Envelope(MailAddress sender, List<Recipient> recipients, Map<String, String> attributes) {

    /** Client IP address as text. */
    public static final String CLIENT_ADDRESS = "client.address";
    /** Client host name from reverse DNS, or "unknown". */
    public static final String CLIENT_NAME = "client.name";
    /** The HELO/EHLO argument. */
    public static final String HELO = "helo";
    /** SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA, LOCAL… as in the Received header (RFC 3848). */
    public static final String PROTOCOL = "protocol";
    /** The SASL-authenticated user, when any. */
    public static final String AUTH_USER = "auth.user";
    /** TLS protocol and cipher when the message arrived over TLS. */
    public static final String TLS = "tls";
    /** MAIL FROM BODY= parameter: 7BIT, 8BITMIME, BINARYMIME. */
    public static final String BODY = "body";
    /** Present ("true") when MAIL FROM carried SMTPUTF8. */
    public static final String SMTPUTF8 = "smtputf8";
    /** RFC 3461 RET and ENVID. */
    public static final String DSN_RET = "dsn.ret";
    public static final String DSN_ENVID = "dsn.envid";
    /** Name of the listener or source that took the message (mta, submission, sendmail…). */
    public static final String SOURCE = "source";

    public Envelope {
        recipients = List.copyOf(recipients);
        attributes = Map.copyOf(attributes);
    }

    public String attribute(String key, String fallback) {
        return attributes.getOrDefault(key, fallback);
    }
}
