package org.mailhive.api.delivery;

import java.util.List;

/**
 * A transport (Postfix's local, smtp, lmtp, pipe): delivers a message to some recipients.
 * Registered with the service property {@link #TRANSPORT} naming the transport.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface DeliveryAgent {

    /** Service property: the transport name this agent implements, e.g. {@code local}. */
    String TRANSPORT = "mail.transport";

    /**
     * Delivers and reports one result per requested recipient, in any order. A recipient the
     * agent could not decide on must come back DEFERRED; an exception defers them all.
     * Returns only when SENT results are durable at their destination.
     */
    List<RecipientResult> deliver(DeliveryRequest request) throws Exception;
}
