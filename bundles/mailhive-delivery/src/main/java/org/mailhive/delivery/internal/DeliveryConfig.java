package org.mailhive.delivery.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.delivery.cfg}, named as in Dovecot. */
@ObjectClassDefinition(name = "Mailhive local delivery", description = "local(8): where users' mail is stored")
@interface DeliveryConfig {

    @AttributeDefinition(name = "mail_location",
            description = "Dovecot mail_location: format:path[:KEY=value]; %u user, %n local part, %d domain, "
                    + "~ home; a user's passwd extra field mail= overrides it")
    String mail__location() default "maildir:${mailhive.data}/mail/%d/%n/Maildir";
}
