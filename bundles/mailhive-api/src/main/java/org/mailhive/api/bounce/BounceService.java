package org.mailhive.api.bounce;

import java.util.List;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.queue.QueueId;

/**
 * Postfix's bounce(8): tells the envelope sender what happened, as an RFC 3464 delivery status
 * notification submitted through the MessageSink. A message from the null sender is never
 * answered with a DSN (it goes to postmaster instead, once), so bounces cannot loop.
 */
@org.osgi.annotation.versioning.ProviderType
public interface BounceService {

    /**
     * Returns the message to its sender for the failed recipients. Returns only when the DSN (or
     * the postmaster notice) is durably queued; the caller may then forget those recipients.
     * @throws MailException temporary when the DSN could not be queued: keep the message and retry
     */
    void bounce(QueueId id, Envelope envelope, MessageContent original, List<RecipientResult> failed)
            throws MailException;

    /** A delay warning (delay_warning_time) for recipients still deferred; same durability rule. */
    void delayed(QueueId id, Envelope envelope, MessageContent original, List<RecipientResult> deferred)
            throws MailException;
}
