package org.mailhive.smtp.internal;

import java.util.List;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Evaluates a restriction list the way Postfix does: first decision wins, the end accepts. */
final class Restrictions {

    private static final Logger LOG = LoggerFactory.getLogger(Restrictions.class);

    private Restrictions() {
    }

    /**
     * @param rejectUnlisted smtpd_reject_unlisted_recipient: when the list accepts without having
     *     asked reject_unknown_recipient, ask it anyway, so trusted and authenticated clients get
     *     550 5.1.1 for unknown local users too instead of a queued message that must bounce
     * @return null to accept the recipient, else the rejection
     */
    static SmtpReply recipient(List<String> names, boolean rejectUnlisted, SmtpServices services, SmtpContext ctx,
            Recipient rcpt) {
        boolean unlistedAsked = false;
        for (String name : names) {
            Outcome o = evaluate(name, services, ctx, rcpt);
            unlistedAsked |= name.equals(ListenerSettings.UNLISTED_RECIPIENT_CHECK);
            if (o.reply != null) return o.reply;
            if (o.verdict.kind() == Verdict.Kind.PERMIT) break;
            if (o.verdict.kind() == Verdict.Kind.REJECT) return o.verdict.reply();
        }
        if (rejectUnlisted && !unlistedAsked) {
            Outcome o = evaluate(ListenerSettings.UNLISTED_RECIPIENT_CHECK, services, ctx, rcpt);
            if (o.reply != null) return o.reply;
            if (o.verdict.kind() == Verdict.Kind.REJECT) return o.verdict.reply();
        }
        return null;
    }

    /** A verdict, or a reply that ends the evaluation because the restriction could not be evaluated. */
    private record Outcome(Verdict verdict, SmtpReply reply) {
    }

    private static Outcome evaluate(String name, SmtpServices services, SmtpContext ctx, Recipient rcpt) {
        switch (name) {
            case "permit":
                return new Outcome(Verdict.PERMIT, null);
            case "dunno":
                return new Outcome(Verdict.DUNNO, null);
            case "reject":
                return new Outcome(Verdict.reject(Replies.ACCESS_DENIED), null);
            default:
                break;
        }
        Check check = services.check(name);
        if (check == null) {
            // As Postfix: a restriction we cannot evaluate must not turn into an accept.
            LOG.error("listener {}: restriction \"{}\" is configured but no Check service with mail.check={} is"
                    + " present; answering 451 4.3.5", ctx.listener(), name, name);
            return new Outcome(null, Replies.CONFIG_PROBLEM);
        }
        try {
            Verdict v = check.onRecipient(ctx, rcpt);
            return new Outcome(v == null ? Verdict.DUNNO : v, null);
        } catch (RuntimeException e) {
            LOG.error("listener {}: restriction {} failed on {}", ctx.listener(), name, rcpt.address().toPath(), e);
            return new Outcome(null, Replies.CONFIG_PROBLEM);
        }
    }
}
