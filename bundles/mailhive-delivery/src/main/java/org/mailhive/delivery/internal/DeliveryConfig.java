package org.mailhive.delivery.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Keys of {@code org.mailhive.delivery.cfg}, named as in Dovecot and Postfix. Where a user's mail
 * goes, first match wins: the user's own {@code mail=} field in the users file; mail_location
 * when set (non-empty); home_mailbox when set; mail_spool_directory when set; else
 * {@code maildir:${mailhive.data}/mail/%d/%n/Maildir}.
 */
@ObjectClassDefinition(name = "Mailhive local delivery",
        description = "local(8): where users' mail is stored. Precedence: the user's mail= field, then "
                + "mail_location if set, then home_mailbox if set, then mail_spool_directory if set, then "
                + "maildir:${mailhive.data}/mail/%d/%n/Maildir")
@interface DeliveryConfig {

    @AttributeDefinition(name = "mail_location",
            description = "Dovecot mail_location: format:path[:KEY=value]; %u user, %n local part, %d domain, "
                    + "%% a percent sign, ~ home (at the start of the path or of an option value), "
                    + "${mailhive.data} the data directory. Empty: derived from home_mailbox, "
                    + "mail_spool_directory or the built-in default. A user's passwd extra field mail= overrides it")
    String mail__location() default "";

    @AttributeDefinition(name = "home_mailbox",
            description = "Postfix home_mailbox, relative to the user's home, used only when mail_location is "
                    + "empty: ending in '/' a Maildir (Maildir/ = maildir:~/Maildir), else an mbox file "
                    + "(Mailbox = mbox:~/mail:INBOX=~/Mailbox). Users without a home then defer")
    String home__mailbox() default "";

    @AttributeDefinition(name = "mail_spool_directory",
            description = "Postfix mail_spool_directory, absolute, used only when mail_location and home_mailbox "
                    + "are empty: INBOX is the mbox <dir>/%n (/var/spool/mail = "
                    + "mbox:${mailhive.data}/mail/%d/%n:INBOX=/var/spool/mail/%n)")
    String mail__spool__directory() default "";
}
