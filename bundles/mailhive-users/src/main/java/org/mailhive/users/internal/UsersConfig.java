package org.mailhive.users.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.users.cfg}, named after Dovecot's passwd-file driver. */
@ObjectClassDefinition(name = "Mailhive users", description = "passwd-file user directory and authentication")
@interface UsersConfig {

    @AttributeDefinition(name = "passwd_file",
            description = "The Dovecot passwd-file; empty means ${mailhive.config}/users. Edits are seen without restart.")
    String passwd__file() default "";

    @AttributeDefinition(name = "default_home",
            description = "Home of a user whose passwd-file line has none (Dovecot's userdb default_fields home=): "
                    + "where ~/.forward is looked for and ~ in mail_location points; %u user, %n local part, %d domain. "
                    + "Empty = ${mailhive.data}/mail/%d/%n, the directory of the default Maildir")
    String default__home() default "";
}
