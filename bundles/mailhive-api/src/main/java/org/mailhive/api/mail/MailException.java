package org.mailhive.api.mail;

/**
 * A failure that has an answer for the client or the queue: the reply to give, and an internal
 * reason for the log that never reaches the client. Temporary when the reply is 4xx.
 */
public class MailException extends Exception {

    private static final long serialVersionUID = 1L;

    private final SmtpReply reply;

    public MailException(SmtpReply reply, String reason) {
        super(reason);
        this.reply = reply;
    }

    public MailException(SmtpReply reply, String reason, Throwable cause) {
        super(reason, cause);
        this.reply = reply;
    }

    public SmtpReply reply() {
        return reply;
    }

    public boolean isTemporary() {
        return reply.isTransient();
    }

    /** A 451 4.3.0 for an internal problem: the client tries again, nothing is lost. */
    public static MailException temporary(String reason, Throwable cause) {
        return new MailException(SmtpReply.of(451, EnhancedStatus.of(4, 3, 0),
                "Temporary local problem, please try again later"), reason, cause);
    }
}
