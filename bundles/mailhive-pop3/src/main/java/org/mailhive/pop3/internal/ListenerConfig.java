package org.mailhive.pop3.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of one POP3 listener ({@code org.mailhive.pop3.listener-<name>.cfg}), named as in
 * dovecot.conf where Dovecot has them. Documentation only: the values are read with
 * {@link org.mailhive.api.config.Settings}, so that a bad value keeps the last good configuration.
 */
@ObjectClassDefinition(name = "Mailhive POP3 listener",
        description = "One POP3 or POP3S listener; the part of the PID after '~' names it (pop3, pop3s...)")
@interface ListenerConfig {

    @AttributeDefinition(name = "port", description = "TCP port; default 2110, or 2995 with ssl = yes (0 picks a free one)")
    int port() default ListenerSettings.DEFAULT_PORT;

    @AttributeDefinition(name = "bind", description = "Address to listen on")
    String bind() default ListenerSettings.DEFAULT_BIND;

    @AttributeDefinition(name = "ssl",
            description = "yes = TLS from the first byte (POP3S, RFC 8314); no = plaintext with STLS when a TLS"
                    + " provider is present. Without a TLS provider an ssl listener refuses connections")
    boolean ssl() default false;

    @AttributeDefinition(name = "pop3_timeout",
            description = "Idle time (neither reading nor writing) before the session is closed; RFC 1939 asks"
                    + " for at least 10 minutes")
    String pop3__timeout() default "600s";

    @AttributeDefinition(name = "disable_plaintext_auth",
            description = "yes = USER/PASS and AUTH only inside TLS, except for clients on the loopback interface")
    boolean disable__plaintext__auth() default true;

    @AttributeDefinition(name = "pop3_worker_threads",
            description = "Threads running POP3 commands and reading messages for this listener")
    int pop3__worker__threads() default ListenerSettings.DEFAULT_WORKERS;

    @AttributeDefinition(name = "auth_failure_delay",
            description = "Delay before the reply to a failed login; no thread waits meanwhile")
    String auth__failure__delay() default "2s";

    @AttributeDefinition(name = "mail_max_userip_connections",
            description = "Logged-in sessions allowed at once for one user from one client address")
    int mail__max__userip__connections() default ListenerSettings.DEFAULT_USERIP_CONNECTIONS;
}
