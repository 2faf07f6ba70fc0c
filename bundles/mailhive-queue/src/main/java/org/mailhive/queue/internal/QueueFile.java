package org.mailhive.queue.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

/**
 * The contents of a message's {@code envelope} file: what was received plus the delivery state
 * (per-recipient status, attempts, next try, last reason). Immutable; a pass builds a new one.
 */
record QueueFile(MailAddress sender, Instant arrival, Map<String, String> attributes,
        List<QueuedRecipient> recipients, int attempts, Instant nextTry, String lastReason, boolean warned) {

    QueueFile {
        attributes = Map.copyOf(attributes);
        recipients = List.copyOf(recipients);
        lastReason = lastReason == null ? "" : lastReason;
    }

    QueueFile(MailAddress sender, Instant arrival, Map<String, String> attributes,
            List<QueuedRecipient> recipients, int attempts, Instant nextTry, String lastReason) {
        this(sender, arrival, attributes, recipients, attempts, nextTry, lastReason, false);
    }

    static QueueFile fresh(Envelope envelope, Instant arrival) {
        return new QueueFile(envelope.sender(), arrival, envelope.attributes(),
                envelope.recipients().stream().map(QueuedRecipient::pending).toList(), 0, arrival, "");
    }

    /** The envelope as handed to delivery agents: every recipient as received. */
    Envelope envelope() {
        List<Recipient> rcpts = recipients.stream().map(QueuedRecipient::recipient).toList();
        return new Envelope(sender, rcpts, attributes);
    }

    boolean hasOpenRecipients() {
        return recipients.stream().anyMatch(r -> r.status().open());
    }

    /** Something still keeps the message: a recipient to deliver or a notice to send. */
    boolean unfinished() {
        return recipients.stream().anyMatch(r -> r.status().unfinished());
    }

    QueueFile withRecipients(List<QueuedRecipient> newRecipients) {
        return new QueueFile(sender, arrival, attributes, newRecipients, attempts, nextTry, lastReason, warned);
    }

    QueueFile withAttempt(int newAttempts, Instant newNextTry, String reason) {
        return new QueueFile(sender, arrival, attributes, recipients, newAttempts, newNextTry, reason, warned);
    }

    QueueFile withWarned() {
        return new QueueFile(sender, arrival, attributes, recipients, attempts, nextTry, lastReason, true);
    }
}
