package org.mailhive.store.mbox.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailhive mbox store",
        description = "mbox mailboxes (mboxrd, dotlock plus fcntl lock); Dovecot's mbox_* names")
@interface MboxConfig {

    @AttributeDefinition(name = "mbox_lock_timeout",
            description = "Longest wait for the dotlock and fcntl lock of an mbox before the operation fails"
                    + " temporarily (delivery defers), e.g. 30s")
    String mbox__lock__timeout() default "30s";

    @AttributeDefinition(name = "mbox_dotlock_change_timeout",
            description = "A <mbox>.lock file older than this was left by a crashed program and is removed, e.g. 5m")
    String mbox__dotlock__change__timeout() default "5m";
}
