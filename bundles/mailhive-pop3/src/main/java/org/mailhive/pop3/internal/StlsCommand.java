package org.mailhive.pop3.internal;

/** STLS (RFC 2595): only before login, only once, only with a TLS provider present. */
final class StlsCommand implements Pop3Command {

    @Override
    public Reply execute(Pop3Session session, String argument) {
        if (!argument.isEmpty()) return Replies.NO_ARGUMENTS;
        if (session.tlsActive()) return Replies.TLS_ALREADY;
        if (session.services().tls() == null) return Replies.TLS_UNAVAILABLE;
        return session.startTls();
    }
}
