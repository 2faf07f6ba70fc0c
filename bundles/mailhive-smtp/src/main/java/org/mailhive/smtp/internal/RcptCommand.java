package org.mailhive.smtp.internal;

import java.util.HashMap;
import java.util.Map;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;

/** RCPT TO: adds a recipient once syntax, limits and smtpd_recipient_restrictions allow it. */
final class RcptCommand implements SmtpCommand {

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        Transaction tx = session.transaction();
        if (tx == null) return Replies.NEED_MAIL;
        PathArgument arg;
        try {
            arg = PathArgument.parse(argument, "TO:");
        } catch (PathArgument.SyntaxException e) {
            return Replies.RCPT_SYNTAX;
        }
        MailAddress address;
        if (arg.path().equalsIgnoreCase("<postmaster>")) {
            // RFC 5321 section 4.1.1.3: <postmaster> without a domain must be accepted
            address = MailAddress.of("postmaster", session.myorigin());
        } else {
            try {
                address = MailAddress.parsePath(arg.path(), false);
            } catch (IllegalArgumentException e) {
                return Replies.BAD_RECIPIENT;
            }
        }
        Map<String, String> params = new HashMap<>();
        for (Map.Entry<String, String> p : arg.parameters().entrySet()) {
            String name = p.getKey();
            if (!name.equals(Recipient.NOTIFY) && !name.equals(Recipient.ORCPT)) {
                return Replies.detail(Replies.UNKNOWN_PARAMETER, name);
            }
            String value = p.getValue();
            if (name.equals(Recipient.NOTIFY)) {
                value = Dsn.notify(value);
                if (value == null) return Replies.detail(Replies.BAD_PARAMETER_VALUE, name);
            } else if (!Dsn.isOrcpt(value)) {
                return Replies.detail(Replies.BAD_PARAMETER_VALUE, name);
            }
            params.put(name, value);
        }
        if (!tx.smtputf8() && !MailCommand.isAscii(address.toString())) return Replies.NEED_UTF8;
        if (tx.recipients.size() >= session.settings().recipientLimit()) return Replies.TOO_MANY_RECIPIENTS;
        Recipient rcpt = new Recipient(address, params);
        SmtpReply rejection = session.evaluateRecipient(rcpt);
        if (rejection != null) {
            session.logReject("RCPT", rejection, address);
            return rejection;
        }
        tx.recipients.add(rcpt);
        return Replies.RCPT_OK;
    }
}
