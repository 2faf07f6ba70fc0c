package org.mailhive.api.delivery;

import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.MailAddress;

/**
 * What happened to one recipient: status, the DSN status code, the relay that took it
 * ({@code local}, {@code mx.example.org[192.0.2.1]:25}) and a human reason for the log and DSN.
 */
public record RecipientResult(MailAddress recipient, DeliveryStatus status, EnhancedStatus dsn, String relay,
        String reason) {

    public static RecipientResult sent(MailAddress rcpt, String relay, String reason) {
        return new RecipientResult(rcpt, DeliveryStatus.SENT, EnhancedStatus.of(2, 0, 0), relay, reason);
    }

    public static RecipientResult deferred(MailAddress rcpt, EnhancedStatus dsn, String relay, String reason) {
        return new RecipientResult(rcpt, DeliveryStatus.DEFERRED, dsn, relay, reason);
    }

    public static RecipientResult bounced(MailAddress rcpt, EnhancedStatus dsn, String relay, String reason) {
        return new RecipientResult(rcpt, DeliveryStatus.BOUNCED, dsn, relay, reason);
    }
}
