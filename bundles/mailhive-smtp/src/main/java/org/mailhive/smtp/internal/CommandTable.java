package org.mailhive.smtp.internal;

import java.util.Map;
import java.util.Set;

/** Verb to command. */
final class CommandTable {

    private static final Map<String, SmtpCommand> COMMANDS = Map.ofEntries(
            Map.entry("STARTTLS", new StartTlsCommand()),
            Map.entry("AUTH", new AuthCommand()),
            Map.entry("BDAT", new BdatCommand()),
            Map.entry("HELO", new HeloCommand(false)),
            Map.entry("EHLO", new HeloCommand(true)),
            Map.entry("MAIL", new MailCommand()),
            Map.entry("RCPT", new RcptCommand()),
            Map.entry("DATA", new DataCommand()),
            Map.entry("RSET", (s, a) -> s.resetTransaction()),
            Map.entry("NOOP", (s, a) -> Replies.OK),
            Map.entry("QUIT", (s, a) -> s.quit()),
            Map.entry("VRFY", (s, a) -> Replies.CANNOT_VRFY),
            Map.entry("HELP", (s, a) -> Replies.HELP));

    /** Verbs of RFC 5321 and common extensions that this server knows but does not offer. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("EXPN", "TURN", "ETRN", "ATRN", "SEND", "SOML",
            "SAML", "XCLIENT", "XFORWARD", "VERB");

    private CommandTable() {
    }

    static SmtpCommand find(String verb) {
        return COMMANDS.get(verb);
    }

    static boolean known(String verb) {
        return NOT_IMPLEMENTED.contains(verb);
    }
}
