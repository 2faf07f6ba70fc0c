package org.mailhive.smtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of one SMTP listener ({@code org.mailhive.smtp.listener~<name>.cfg}), named as in
 * Postfix's main.cf/master.cf. Documentation only: the values are read with
 * {@link org.mailhive.api.config.Settings} so that a bad value keeps the last good configuration.
 */
@ObjectClassDefinition(name = "Mailhive SMTP listener",
        description = "One smtpd listener; the part of the file name after '~' names it (mta, submission...)")
@interface ListenerConfig {

    @AttributeDefinition(name = "name", required = false,
            description = "Listener name when the PID/file name has no '~' part")
    String name() default "";

    @AttributeDefinition(name = "port", description = "TCP port (0 picks a free one)")
    int port() default ListenerSettings.DEFAULT_PORT;

    @AttributeDefinition(name = "bind", description = "Address to listen on (Postfix inet_interfaces)")
    String bind() default ListenerSettings.DEFAULT_BIND;

    @AttributeDefinition(name = "smtpd_banner", description = "Text after 220 in the greeting; $myhostname is expanded")
    String smtpd__banner() default ListenerSettings.DEFAULT_BANNER;

    @AttributeDefinition(name = "message_size_limit",
            description = "Largest message in bytes (k/m/g suffixes allowed); 0 = unlimited")
    String message__size__limit() default "52428800";

    @AttributeDefinition(name = "line_length_limit", description = "Longest command line in octets, CRLF included")
    int line__length__limit() default ListenerSettings.DEFAULT_LINE_LIMIT;

    @AttributeDefinition(name = "smtpd_recipient_limit", description = "Most recipients accepted per message")
    int smtpd__recipient__limit() default ListenerSettings.DEFAULT_RECIPIENT_LIMIT;

    @AttributeDefinition(name = "smtpd_hard_error_limit",
            description = "Errors after which the client is disconnected with 421")
    int smtpd__hard__error__limit() default ListenerSettings.DEFAULT_HARD_ERROR_LIMIT;

    @AttributeDefinition(name = "smtpd_timeout", description = "Idle time before 421 and disconnect (300s, 5m...)")
    String smtpd__timeout() default "300s";

    @AttributeDefinition(name = "smtpd_recipient_restrictions",
            description = "Check names evaluated in order at RCPT (service property mail.check); "
                    + "built in: permit, reject, dunno")
    String smtpd__recipient__restrictions() default ListenerSettings.DEFAULT_RESTRICTIONS;

    @AttributeDefinition(name = "smtpd_reject_unlisted_recipient",
            description = "Reject unknown local recipients even when a restriction permitted the client")
    boolean smtpd__reject__unlisted__recipient() default true;

    @AttributeDefinition(name = "smtpd_worker_threads",
            description = "Threads handling commands and message writes for this listener")
    int smtpd__worker__threads() default ListenerSettings.DEFAULT_WORKERS;
}
