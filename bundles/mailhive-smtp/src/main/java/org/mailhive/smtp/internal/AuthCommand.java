package org.mailhive.smtp.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.users.Authenticator;
import org.mailhive.api.users.MailUser;
import org.mailhive.net.SaslExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AUTH (RFC 4954) with PLAIN and LOGIN; the checks before it decide whether AUTH is allowed now. */
final class AuthCommand implements SmtpCommand {

    private static final Logger LOG = LoggerFactory.getLogger(AuthCommand.class);
    static final String MECHANISMS = "PLAIN LOGIN";

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        SessionPolicy p = session.settings().policy();
        if (!p.saslAuthEnable()) return Replies.AUTH_NOT_ENABLED;
        if (session.helo().isEmpty()) return Replies.NEED_HELO;
        if (session.authenticatedUser().isPresent()) return Replies.AUTH_ALREADY;
        if (session.transaction() != null) return Replies.TRANSACTION_IN_PROGRESS;
        if (p.tlsRequired() && !session.tlsActive()) return Replies.NEED_STARTTLS;
        if (!plaintextAllowed(session)) return Replies.AUTH_NEEDS_ENCRYPTION;
        if (session.services().authenticator() == null) {
            LOG.warn("listener {}: no Authenticator service present, answering 454 to AUTH", session.listener());
            return Replies.AUTH_UNAVAILABLE;
        }
        if (session.services().authFailures().recent(session.clientAddress()) >= p.authFailureLimit()) {
            return Replies.AUTH_TOO_MANY_FROM_CLIENT;
        }
        String[] parts = argument.split(" +");
        if (parts[0].isEmpty() || parts.length > 2) return Replies.AUTH_SYNTAX;
        SaslExchange exchange = SaslExchange.start(parts[0].toUpperCase(Locale.ROOT));
        if (exchange == null) return Replies.AUTH_UNKNOWN_MECHANISM;
        return step(session, exchange, exchange.begin(parts.length == 2 ? parts[1] : null));
    }

    /** Offered in EHLO exactly when the command would be accepted now. */
    static boolean offered(SmtpSession session) {
        SessionPolicy p = session.settings().policy();
        return p.saslAuthEnable() && session.authenticatedUser().isEmpty()
                && (session.tlsActive() || !p.tlsRequired()) && plaintextAllowed(session)
                && session.services().authenticator() != null;
    }

    /** smtpd_tls_auth_only: passwords only inside TLS, except from this host itself (local tools, tests). */
    private static boolean plaintextAllowed(SmtpSession session) {
        return session.tlsActive() || !session.settings().policy().tlsAuthOnly() || session.clientIsLoopback();
    }

    /** A client line while the exchange waits: "*" cancels (RFC 4954 section 4). */
    static SmtpReply continueExchange(SmtpSession session, SaslExchange exchange, String line) {
        if (line.equals("*")) return Replies.AUTH_ABORTED;
        return step(session, exchange, exchange.respond(line));
    }

    private static SmtpReply step(SmtpSession session, SaslExchange exchange, SaslExchange.Step step) {
        if (step instanceof SaslExchange.Challenge c) {
            session.awaitSaslResponse(exchange);
            return Replies.challenge(c.base64());
        }
        if (step instanceof SaslExchange.Failure f) {
            if (f.badBase64()) return Replies.AUTH_BAD_BASE64;
            return failed(session, exchange.mechanism(), printable(f.login()));
        }
        SaslExchange.Credentials cred = (SaslExchange.Credentials) step;
        Authenticator auth = session.services().authenticator();
        if (auth == null) return Replies.AUTH_UNAVAILABLE;
        Optional<MailUser> user;
        try {
            user = auth.authenticate(cred.login(), cred.password());
        } catch (RuntimeException e) {
            LOG.error("listener {}: authenticator failed", session.listener(), e);
            return Replies.AUTH_UNAVAILABLE;
        } finally {
            Arrays.fill(cred.password(), '\0');
        }
        if (user.isEmpty()) return failed(session, exchange.mechanism(), printable(cred.login()));
        session.authenticated(user.get().name(), exchange.mechanism());
        return Replies.AUTH_OK;
    }

    /**
     * Counts a failed AUTH for the session and the client address and answers 535 after
     * smtpd_auth_failure_delay; at smtpd_auth_failure_limit the answer ends with 421 and a close.
     */
    private static SmtpReply failed(SmtpSession session, String method, String username) {
        int failures = session.countAuthFailure();
        session.services().authFailures().failed(session.clientAddress());
        session.logAuthFailure(method, username);
        SessionPolicy p = session.settings().policy();
        String text = Replies.AUTH_FAILED.toWire();
        boolean disconnect = failures >= p.authFailureLimit();
        if (disconnect) {
            session.logEvent("too many AUTH failures");
            text += Replies.withHost(session.hostname(), Replies.AUTH_TOO_MANY_FAILURES).toWire();
        }
        session.delayReply(text, p.authFailureDelay(), disconnect);
        return null;
    }

    /** A client-chosen name goes into the log: no control characters, bounded length. */
    static String printable(String s) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 256; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return sb.toString();
    }
}
