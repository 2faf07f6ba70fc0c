package org.mailhive.users.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.users.cfg}, named after Dovecot's passwd-file driver. */
@ObjectClassDefinition(name = "Mailhive users", description = "passwd-file user directory and authentication")
@interface UsersConfig {

    @AttributeDefinition(name = "passwd_file",
            description = "The Dovecot passwd-file; empty means ${mailhive.config}/users. Edits are seen without restart.")
    String passwd__file() default "";
}
