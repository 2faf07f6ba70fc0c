package org.mailhive.policy.internal;

import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.SmtpReply;

/** The replies of the restrictions in this bundle, with the recipient put in front as Postfix does. */
final class PolicyReplies {

    static final SmtpReply RELAY_DENIED = SmtpReply.of(554, "5.7.1", "Relay access denied");
    static final SmtpReply USER_UNKNOWN = SmtpReply.of(550, "5.1.1",
            "Recipient address rejected: User unknown in local recipient table");
    static final SmtpReply DIRECTORY_UNAVAILABLE = SmtpReply.of(450, "4.3.0",
            "Recipient address rejected: User directory temporarily unavailable");
    static final SmtpReply SERVICE_MISSING = SmtpReply.of(451, "4.3.0",
            "Server configuration problem, please try again later");
    static final SmtpReply LOOKUP_FAILED = SmtpReply.of(451, "4.3.0",
            "Temporary lookup failure, please try again later");

    private PolicyReplies() {
    }

    /** {@code 554 5.7.1 <victim@remote.test>: Relay access denied}. */
    static SmtpReply about(MailAddress rcpt, SmtpReply reply) {
        return reply.withText(rcpt.toPath() + ": " + reply.lines().get(0));
    }
}
