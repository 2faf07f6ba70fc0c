package org.mailhive.api.smtp;

import org.mailhive.api.mail.SmtpReply;

/**
 * A restriction's answer, as in Postfix: PERMIT stops the list and accepts, REJECT stops and
 * answers with the reply (4xx or 5xx), DUNNO goes on with the next restriction.
 */
public record Verdict(Kind kind, SmtpReply reply) {

    public enum Kind { PERMIT, DUNNO, REJECT }

    public static final Verdict PERMIT = new Verdict(Kind.PERMIT, null);
    public static final Verdict DUNNO = new Verdict(Kind.DUNNO, null);

    public static Verdict reject(SmtpReply reply) {
        if (reply.isPositive()) throw new IllegalArgumentException("a rejection needs a 4xx/5xx reply");
        return new Verdict(Kind.REJECT, reply);
    }

    public boolean decided() {
        return kind != Kind.DUNNO;
    }
}
