package org.mailhive.smtp.internal;

import java.util.Locale;
import java.util.Map;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.SmtpReply;

/** MAIL FROM: starts a transaction after checking sequence, path syntax and parameters (RFC 5321, 1870, 6152, 6531, 3461). */
final class MailCommand implements SmtpCommand {

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        if (session.helo().isEmpty()) return Replies.NEED_HELO;
        if (session.transaction() != null) return Replies.NESTED_MAIL;
        // a changed listener configuration applies from the next transaction on
        session.refreshSettings();
        SessionPolicy policy = session.settings().policy();
        if (policy.tlsRequired() && !session.tlsActive()) return Replies.NEED_STARTTLS;
        // RFC 6409 submission: every client authenticates, trusted networks included, so each
        // message has an accountable sender
        if (policy.authRequired() && session.authenticatedUser().isEmpty()) {
            return Replies.AUTH_REQUIRED;
        }
        PathArgument arg;
        try {
            arg = PathArgument.parse(argument, "FROM:");
        } catch (PathArgument.SyntaxException e) {
            return Replies.MAIL_SYNTAX;
        }
        MailAddress sender;
        try {
            sender = MailAddress.parsePath(arg.path(), true);
        } catch (IllegalArgumentException e) {
            return Replies.BAD_SENDER;
        }
        Transaction tx = new Transaction(sender);
        for (Map.Entry<String, String> p : arg.parameters().entrySet()) {
            SmtpReply problem = parameter(session, tx, p.getKey(), p.getValue());
            if (problem != null) return problem;
        }
        if (!tx.smtputf8() && !isAscii(sender.toString())) return Replies.NEED_UTF8;
        session.beginTransaction(tx);
        return Replies.SENDER_OK;
    }

    private static SmtpReply parameter(SmtpSession session, Transaction tx, String name, String value) {
        switch (name) {
            case "SIZE" -> {
                if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return Replies.detail(Replies.BAD_PARAMETER_VALUE, "SIZE");
                }
                long limit = session.settings().messageSizeLimit();
                // a number too long for a long is certainly over any limit
                if (limit > 0 && (value.length() > 18 || Long.parseLong(value) > limit)) return Replies.SIZE_EXCEEDED;
                return null;
            }
            case "BODY" -> {
                String body = value.toUpperCase(Locale.ROOT);
                if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                    return Replies.detail(Replies.BAD_PARAMETER_VALUE, "BODY");
                }
                tx.attributes.put(Envelope.BODY, body);
                return null;
            }
            case "SMTPUTF8" -> {
                if (!value.isEmpty()) return Replies.detail(Replies.BAD_PARAMETER_VALUE, "SMTPUTF8");
                tx.attributes.put(Envelope.SMTPUTF8, "true");
                return null;
            }
            case "RET" -> {
                String ret = value.toUpperCase(Locale.ROOT);
                if (!ret.equals("FULL") && !ret.equals("HDRS")) return Replies.detail(Replies.BAD_PARAMETER_VALUE, "RET");
                tx.attributes.put(Envelope.DSN_RET, ret);
                return null;
            }
            case "ENVID" -> {
                if (value.isEmpty() || value.length() > 100 || !Dsn.isXtext(value)) {
                    return Replies.detail(Replies.BAD_PARAMETER_VALUE, "ENVID");
                }
                tx.attributes.put(Envelope.DSN_ENVID, value);
                return null;
            }
            case "AUTH" -> {
                // RFC 4954 section 5: accepted and not trusted; the sender is who authenticated here
                if (value.isEmpty() || !(value.equals("<>") || Dsn.isXtext(value))) {
                    return Replies.detail(Replies.BAD_PARAMETER_VALUE, "AUTH");
                }
                return null;
            }
            default -> {
                return Replies.detail(Replies.UNKNOWN_PARAMETER, name);
            }
        }
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) return false;
        }
        return true;
    }
}
