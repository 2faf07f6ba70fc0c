package org.mailhive.api.delivery;

import java.util.List;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.Resolution;

/**
 * One message for some of its recipients, all resolved to the same transport and next hop.
 * {@code envelope} is the whole envelope (for sender and attributes); {@code recipients} are the
 * ones this agent must handle now.
 */
public record DeliveryRequest(QueueId queueId, Envelope envelope, List<Resolution> recipients,
        MessageContent content) {

    public DeliveryRequest {
        recipients = List.copyOf(recipients);
    }
}
