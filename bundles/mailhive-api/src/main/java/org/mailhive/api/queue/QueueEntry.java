package org.mailhive.api.queue;

import java.time.Instant;
import java.util.List;
import org.mailhive.api.mail.MailAddress;

/**
 * One queued message as mailq shows it: id, which queue it is in ({@code incoming}, {@code active},
 * {@code deferred}, {@code hold}, {@code maildrop}), size, arrival, sender, the recipients still
 * to do with the last reason, and the next try.
 */
public record QueueEntry(QueueId id, String queue, long size, Instant arrival, MailAddress sender,
        List<Pending> recipients, Instant nextTry) {

    public QueueEntry {
        recipients = List.copyOf(recipients);
    }

    /** A recipient not yet done and why (e.g. "451 4.3.0 try later"), empty before the first try. */
    public record Pending(MailAddress address, String reason) {
    }
}
