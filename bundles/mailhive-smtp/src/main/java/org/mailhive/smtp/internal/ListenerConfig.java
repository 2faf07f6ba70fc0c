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
    @AttributeDefinition(name = "profile", required = false,
            description = "mta | submission | smtps: the defaults of the keys below (default: the listener name when"
                    + " it is one of these, else mta). mta: TLS may, no AUTH; submission: port 2587, TLS encrypt,"
                    + " AUTH required; smtps: port 2465, implicit TLS, AUTH offered")
    String profile() default "";

    @AttributeDefinition(name = "smtpd_tls_wrappermode", required = false,
            description = "yes = TLS from the first byte (SMTPS, RFC 8314); without a TLS provider"
                    + " connections are refused")
    boolean smtpd__tls__wrappermode() default false;

    @AttributeDefinition(name = "smtpd_tls_security_level", required = false,
            description = "none = no STARTTLS; may = offer STARTTLS; encrypt = MAIL and AUTH need TLS"
                    + " first (530 5.7.0)")
    String smtpd__tls__security__level() default "may";

    @AttributeDefinition(name = "smtpd_sasl_auth_enable", required = false,
            description = "Offer SMTP AUTH (PLAIN, LOGIN) with the Authenticator service")
    boolean smtpd__sasl__auth__enable() default false;

    @AttributeDefinition(name = "smtpd_tls_auth_only", required = false,
            description = "AUTH only inside TLS: plaintext AUTH from a non-loopback client gets 538 5.7.11")
    boolean smtpd__tls__auth__only() default true;

    @AttributeDefinition(name = "smtpd_auth_required", required = false,
            description = "MAIL before AUTH gets 530 5.7.0, from every client (submission: yes)")
    boolean smtpd__auth__required() default false;

    @AttributeDefinition(name = "smtpd_auth_failure_delay", required = false,
            description = "Delay before each failed-AUTH reply; no thread waits meanwhile")
    String smtpd__auth__failure__delay() default "2s";

    @AttributeDefinition(name = "smtpd_auth_failure_limit", required = false,
            description = "Failed AUTHs after which the session gets 421; as many from one address within 10"
                    + " minutes make AUTH answer 454 4.7.0 on this listener")
    int smtpd__auth__failure__limit() default SessionPolicy.DEFAULT_AUTH_LIMIT;

    @AttributeDefinition(name = "smtpd_client_connection_count_limit", required = false,
            description = "Simultaneous connections from one client address; more get 421 4.7.0")
    int smtpd__client__connection__count__limit() default SessionPolicy.DEFAULT_CONNECTION_LIMIT;

    @AttributeDefinition(name = "smtpd_client_restrictions", required = false,
            description = "Checks about the client, evaluated at RCPT before the helo/sender/recipient lists;"
                    + " a token with '.', ':' or '/' is the argument of the check before it")
    String smtpd__client__restrictions() default "";

    @AttributeDefinition(name = "smtpd_helo_restrictions", required = false, description = "Checks about HELO, at RCPT")
    String smtpd__helo__restrictions() default "";

    @AttributeDefinition(name = "smtpd_sender_restrictions", required = false,
            description = "Checks about MAIL FROM, at RCPT")
    String smtpd__sender__restrictions() default "";
}
