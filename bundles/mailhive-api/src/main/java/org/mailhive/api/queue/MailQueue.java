package org.mailhive.api.queue;

import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;

/**
 * The durable queue. Only the {@link MessageSink} writes into it; once a draft is committed
 * the message belongs to the queue manager, which delivers it or returns it to the sender.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MailQueue {

    /**
     * Starts a queue file for this envelope. The writer streams the final message bytes
     * (headers already repaired) and commits; commit fsyncs content and envelope before it
     * returns and then schedules the message for delivery.
     */
    MessageDraft create(Envelope envelope) throws MailException;
}
