package org.mailhive.bounce.internal;

import java.time.ZonedDateTime;
import java.util.List;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.queue.QueueId;

/**
 * Everything one delivery status notification says: about which queued message, to whom it goes,
 * which recipients it reports and whether the original is returned whole or as headers only.
 */
record Notice(Kind kind, String host, QueueId id, Envelope original, List<RecipientResult> results, MailAddress to,
        boolean headersOnly, ZonedDateTime now) {

    /** What kind of notice; decides the subject, the explanation and the DSN action. */
    enum Kind {
        /** To the sender: these recipients failed for good. */
        FAILED("Undelivered Mail Returned to Sender", "failed"),
        /** To the sender: these recipients are still being retried. */
        DELAYED("Delayed Mail (still being retried)", "delayed"),
        /** To bounce_notice_recipient: a copy of a non-delivery notice (notify_classes = bounce). */
        POSTMASTER_COPY("Postmaster Copy: Undelivered Mail", "failed"),
        /** To 2bounce_notice_recipient: mail from the null sender that could not be delivered. */
        DOUBLE_BOUNCE("Postmaster Copy: Undelivered Mail", "failed");

        final String subject;
        final String action;

        Kind(String subject, String action) {
            this.subject = subject;
            this.action = action;
        }

        boolean toPostmaster() {
            return this == POSTMASTER_COPY || this == DOUBLE_BOUNCE;
        }
    }

    Notice {
        results = List.copyOf(results);
    }
}
