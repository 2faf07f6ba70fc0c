package org.mailhive.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.policy.cfg} (optional; the defaults apply without it). */
@ObjectClassDefinition(name = "Mailhive reject_unknown_recipient")
@interface UnknownRecipientConfig {

    @AttributeDefinition(name = "recipient_delimiter",
            description = "Postfix recipient_delimiter: alice+tag@localhost is a known recipient when the user alice "
                    + "is. Keep it equal to the one of org.mailhive.delivery and org.mailhive.aliases. Empty: off")
    String recipient__delimiter() default "+";
}
