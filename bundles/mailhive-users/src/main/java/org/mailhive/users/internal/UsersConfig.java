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

    @AttributeDefinition(name = "system_users",
            description = "Also accept the accounts of the system passwd file (Dovecot's userdb passwd, passdb shadow): "
                    + "a login without domain, or login@ a domain of mydestination. Mail files are given to the account; "
                    + "needs the server running as root")
    boolean system__users() default false;

    @AttributeDefinition(name = "system_passwd", description = "The passwd(5) file of system users; re-read when it changes")
    String system__passwd() default "/etc/passwd";

    @AttributeDefinition(name = "system_shadow", description = "The shadow(5) file with their passwords "
            + "(SHA-512, SHA-256, MD5 crypt and bcrypt in Java; yescrypt and other crypt(3) schemes of "
            + "/etc/shadow through unix_chkpwd; locked accounts cannot log in)")
    String system__shadow() default "/etc/shadow";

    @AttributeDefinition(name = "first_valid_uid", description = "Lowest uid of a system mail user (Dovecot's first_valid_uid)")
    long first__valid__uid() default 1000;

    @AttributeDefinition(name = "last_valid_uid", description = "Highest uid of a system mail user; 0 = no limit (Dovecot's last_valid_uid)")
    long last__valid__uid() default 0;

    @AttributeDefinition(name = "system_mail_location",
            description = "The mail field of system users (Dovecot mail_location syntax, ~ = home from passwd); "
                    + "empty = the delivery's mail_location")
    String system__mail__location() default "maildir:~/Maildir";
}
