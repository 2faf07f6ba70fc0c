package org.mailhive.queue.internal;

import java.util.Objects;
import org.mailhive.api.mail.Recipient;

/** One recipient in the queue file: the RCPT as received, its status, the last DSN code and reason. */
record QueuedRecipient(Recipient recipient, RecipientStatus status, String dsn, String reason) {

    QueuedRecipient {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        dsn = dsn == null ? "" : dsn;
        reason = reason == null ? "" : reason;
    }

    static QueuedRecipient pending(Recipient recipient) {
        return new QueuedRecipient(recipient, RecipientStatus.PENDING, "", "");
    }

    QueuedRecipient with(RecipientStatus newStatus, String newDsn, String newReason) {
        return new QueuedRecipient(recipient, newStatus, newDsn, newReason);
    }
}
