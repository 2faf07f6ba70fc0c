package org.mailhive.queue.internal;

import java.util.Objects;
import org.mailhive.api.mail.Recipient;

/**
 * One recipient in the queue file: the RCPT as received, its status, the last DSN code and reason,
 * and the relay that gave that answer (for the Remote-MTA of a DSN).
 */
record QueuedRecipient(Recipient recipient, RecipientStatus status, String dsn, String reason, String relay) {

    QueuedRecipient {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        dsn = dsn == null ? "" : dsn;
        reason = reason == null ? "" : reason;
        relay = relay == null ? "" : relay;
    }

    QueuedRecipient(Recipient recipient, RecipientStatus status, String dsn, String reason) {
        this(recipient, status, dsn, reason, "");
    }

    static QueuedRecipient pending(Recipient recipient) {
        return new QueuedRecipient(recipient, RecipientStatus.PENDING, "", "");
    }

    QueuedRecipient with(RecipientStatus newStatus, String newDsn, String newReason) {
        return new QueuedRecipient(recipient, newStatus, newDsn, newReason, relay);
    }

    QueuedRecipient with(RecipientStatus newStatus, String newDsn, String newReason, String newRelay) {
        return new QueuedRecipient(recipient, newStatus, newDsn, newReason, newRelay);
    }

    QueuedRecipient withStatus(RecipientStatus newStatus) {
        return new QueuedRecipient(recipient, newStatus, dsn, reason, relay);
    }
}
