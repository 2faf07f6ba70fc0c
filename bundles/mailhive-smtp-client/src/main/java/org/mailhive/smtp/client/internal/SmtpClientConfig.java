package org.mailhive.smtp.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of {@code org.mailhive.smtp.client.cfg}, named as Postfix's smtp(8) parameters.
 * Documentation only: the values are read with {@link org.mailhive.api.config.Settings} so that a
 * bad value keeps the last good configuration.
 */
@ObjectClassDefinition(name = "Mailhive SMTP client", description = "Remote delivery (Postfix smtp(8))")
@interface SmtpClientConfig {

    @AttributeDefinition(name = "smtp_port", description = "Port for MX hosts and next hops without an explicit port")
    int smtp__port() default 25;

    @AttributeDefinition(name = "relayhost", required = false,
            description = "Smarthost for mail without an explicit next hop: [host]:port or [host] (no MX lookup),"
                    + " host or host:port (MX lookup); empty = direct delivery")
    String relayhost() default "";

    @AttributeDefinition(name = "smtp_tls_security_level",
            description = "none = never STARTTLS; may = STARTTLS when offered, certificate not checked;"
                    + " encrypt = STARTTLS required (else defer), certificate not checked")
    String smtp__tls__security__level() default "may";

    @AttributeDefinition(name = "smtp_sasl_auth_enable", description = "AUTH (PLAIN, LOGIN) to the relayhost")
    boolean smtp__sasl__auth__enable() default false;

    @AttributeDefinition(name = "smtp_sasl_username", required = false, description = "User name for the relayhost")
    String smtp__sasl__username() default "";

    @AttributeDefinition(name = "smtp_sasl_password", required = false, description = "Password for the relayhost",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String smtp__sasl__password() default "";

    @AttributeDefinition(name = "smtp_helo_name", description = "Name sent in EHLO/HELO; $myhostname is expanded; empty: $myhostname")
    String smtp__helo__name() default "$myhostname";

    @AttributeDefinition(name = "smtp_connect_timeout", description = "TCP connect (30s, 1m...)")
    String smtp__connect__timeout() default "30s";

    @AttributeDefinition(name = "smtp_helo_timeout", description = "Greeting, EHLO/HELO, STARTTLS and AUTH replies")
    String smtp__helo__timeout() default "300s";

    @AttributeDefinition(name = "smtp_mail_timeout", description = "Reply to MAIL FROM")
    String smtp__mail__timeout() default "300s";

    @AttributeDefinition(name = "smtp_rcpt_timeout", description = "Reply to each RCPT TO")
    String smtp__rcpt__timeout() default "300s";

    @AttributeDefinition(name = "smtp_data_init_timeout", description = "Reply to DATA")
    String smtp__data__init__timeout() default "120s";

    @AttributeDefinition(name = "smtp_data_xfer_timeout", description = "Each write of the message body")
    String smtp__data__xfer__timeout() default "180s";

    @AttributeDefinition(name = "smtp_data_done_timeout", description = "Reply to the final dot")
    String smtp__data__done__timeout() default "600s";

    @AttributeDefinition(name = "smtp_rset_timeout", description = "Reply to RSET before a connection is cached")
    String smtp__rset__timeout() default "20s";

    @AttributeDefinition(name = "smtp_quit_timeout",
            description = "Sending QUIT; its reply is not awaited (Postfix's smtp_skip_quit_response = yes)")
    String smtp__quit__timeout() default "300s";

    @AttributeDefinition(name = "smtp_connection_cache_time_limit",
            description = "How long an idle connection is kept for the next message to the same next hop; 0 = off")
    String smtp__connection__cache__time__limit() default "2s";
}
