package org.mailhive.smtp.internal;

import java.util.Map;
import java.util.Set;

/** Verb to command. Later features (STARTTLS, AUTH, BDAT) add their entries here. */
final class CommandTable {

    private static final Map<String, SmtpCommand> COMMANDS = Map.of(
            "HELO", new HeloCommand(false),
            "EHLO", new HeloCommand(true),
            "MAIL", new MailCommand(),
            "RCPT", new RcptCommand(),
            "DATA", new DataCommand(),
            "RSET", (s, a) -> s.resetTransaction(),
            "NOOP", (s, a) -> Replies.OK,
            "QUIT", (s, a) -> s.quit(),
            "VRFY", (s, a) -> Replies.CANNOT_VRFY,
            "HELP", (s, a) -> Replies.HELP);

    /** Verbs of RFC 5321 and common extensions that this server knows but does not offer. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("EXPN", "TURN", "ETRN", "ATRN", "SEND", "SOML",
            "SAML", "BDAT", "AUTH", "STARTTLS", "XCLIENT", "XFORWARD", "VERB");

    private CommandTable() {
    }

    static SmtpCommand find(String verb) {
        return COMMANDS.get(verb);
    }

    static boolean known(String verb) {
        return NOT_IMPLEMENTED.contains(verb);
    }
}
