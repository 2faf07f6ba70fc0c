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

    @AttributeDefinition(name = "mailbox_command",
            description = "Postfix mailbox_command: when set, mail for a local user is piped into /bin/sh -c <command> "
                    + "(an MDA such as procmail) instead of the mailbox store, with Return-Path and Delivered-To "
                    + "prepended and LF line endings. Environment: HOME USER LOGNAME SHELL SENDER RECIPIENT LOCAL "
                    + "DOMAIN EXTENSION ORIGINAL_RECIPIENT. Exit 0 delivered, 75 (and 71) deferred, other status bounced. "
                    + "Empty: off")
    String mailbox__command() default "";

    @AttributeDefinition(name = "command_time_limit",
            description = "Postfix command_time_limit: a mailbox_command still running after this is killed and the "
                    + "message deferred, e.g. 1000s")
    String command__time__limit() default "1000s";

    @AttributeDefinition(name = "default_privs",
            description = "Postfix default_privs: the system user a mailbox_command runs as when Mailhive runs as "
                    + "root (through setpriv from util-linux; without it the delivery defers). Must not be root. "
                    + "Empty: the command runs as the server's own user")
    String default__privs() default "nobody";

    @AttributeDefinition(name = "quota_rule",
            description = "Dovecot quota_rule for every user: *:storage=<size> with k, M, G, T (powers of 1024, "
                    + "optional B); *:storage=0 is unlimited. A user's passwd extra field quota_rule= overrides it")
    String quota__rule() default "*:storage=0";

    @AttributeDefinition(name = "quota_full_tempfail",
            description = "Dovecot quota_full_tempfail: yes defers a message for a full mailbox (4.2.2; the queue "
                    + "bounces it after maximal_queue_lifetime), no bounces it at once (5.2.2)")
    boolean quota__full__tempfail() default true;

    @AttributeDefinition(name = "recipient_delimiter",
            description = "Postfix recipient_delimiter: the characters that separate a user from an address "
                    + "extension (alice+tag@example.org is delivered to alice when no user alice+tag exists). "
                    + "Aliases apply their own (the alias expander's recipient_delimiter). Empty: off")
    String recipient__delimiter() default "+";
}
