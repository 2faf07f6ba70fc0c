package org.mailhive.pop3.internal;

import java.util.List;
import java.util.Locale;
import org.mailhive.net.SaslExchange;

/** AUTH (RFC 5034) with PLAIN and LOGIN; a bare AUTH lists the mechanisms, as older clients expect. */
final class AuthCommand implements Pop3Command {

    @Override
    public Reply execute(Pop3Session session, String argument) {
        if (!session.plaintextAuthAllowed()) return Replies.PLAINTEXT_DISALLOWED;
        String[] parts = argument.strip().split(" +");
        if (parts[0].isEmpty()) return Reply.multi("", List.of(SaslExchange.MECHANISMS.split(" ")));
        if (parts.length > 2) return Replies.AUTH_SYNTAX;
        if (session.services().authenticator() == null) return Replies.AUTH_UNAVAILABLE;
        SaslExchange exchange = SaslExchange.start(parts[0].toUpperCase(Locale.ROOT));
        if (exchange == null) return Replies.AUTH_UNKNOWN_MECHANISM;
        return step(session, exchange, exchange.begin(parts.length == 2 ? parts[1] : null));
    }

    /** The client's line while an exchange waits; "*" cancels it. */
    static Reply continueExchange(Pop3Session session, SaslExchange exchange, String line) {
        if (line.equals("*")) return Replies.AUTH_ABORTED;
        return step(session, exchange, exchange.respond(line));
    }

    private static Reply step(Pop3Session session, SaslExchange exchange, SaslExchange.Step step) {
        if (step instanceof SaslExchange.Challenge c) {
            session.awaitSaslResponse(exchange);
            session.write(Replies.challenge(c.base64()));
            return null;
        }
        if (step instanceof SaslExchange.Failure f) {
            if (f.badBase64()) return Replies.AUTH_BAD_BASE64;
            return session.authFailed(f.login(), exchange.mechanism());
        }
        SaslExchange.Credentials cred = (SaslExchange.Credentials) step;
        return session.authenticate(cred.login(), cred.password(), exchange.mechanism());
    }
}
