package org.mailhive.smtp.internal;

import org.mailhive.api.mail.SmtpReply;

/** STARTTLS (RFC 3207). */
final class StartTlsCommand implements SmtpCommand {

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        if (!argument.isEmpty()) return Replies.NO_ARGUMENTS;
        if (session.tlsActive()) return Replies.ALREADY_TLS;
        if (!session.settings().policy().tlsOffered()) return Replies.NOT_IMPLEMENTED;
        if (session.transaction() != null) return Replies.TRANSACTION_IN_PROGRESS;
        if (session.services().tls() == null) return Replies.TLS_UNAVAILABLE;
        return session.startTls();
    }
}
