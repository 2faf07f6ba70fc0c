package org.mailhive.bounce.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@code org.mailhive.bounce}; names and meanings as Postfix's main.cf. When the DSNs are sent
 * ({@code delay_warning_time}, {@code maximal_queue_lifetime}) is the queue manager's business.
 */
@ObjectClassDefinition(name = "Mailhive bounce", description = "bounce: delivery status notifications (RFC 3464)")
@interface BounceConfig {

    @AttributeDefinition(name = "bounce_notice_recipient",
            description = "Gets a headers-only copy of each non-delivery notice when notify_classes has 'bounce'")
    String bounce__notice__recipient() default "postmaster";

    @AttributeDefinition(name = "2bounce_notice_recipient",
            description = "Gets the notice about undeliverable mail from the null sender (a bounce that bounced)")
    String $2bounce__notice__recipient() default "postmaster";

    @AttributeDefinition(name = "bounce_size_limit",
            description = "Largest original message returned whole; larger ones are returned as headers only")
    long bounce__size__limit() default 50000;

    @AttributeDefinition(name = "notify_classes",
            description = "Postmaster notices: 'bounce' adds a copy of every non-delivery notice")
    String notify__classes() default "resource, software";
}
