package org.mailhive.smtp.internal;

import java.util.List;
import java.util.Set;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates restriction lists the way Postfix does with smtpd_delay_reject = yes: at RCPT time
 * the client, helo, sender and recipient lists in that order. PERMIT ends only the list it is
 * in; REJECT ends everything; the end of the last list accepts.
 */
final class Restrictions {

    private static final Logger LOG = LoggerFactory.getLogger(Restrictions.class);

    /** Restriction names answered here, without a Check service. */
    static final Set<String> BUILT_IN = Set.of("permit", "dunno", "reject");

    private Restrictions() {
    }

    /**
     * @param rejectUnlisted smtpd_reject_unlisted_recipient: when the lists accept without having
     *     asked reject_unknown_recipient, ask it anyway, so trusted and authenticated clients get
     *     550 5.1.1 for unknown local users too instead of a queued message that must bounce
     * @return null to accept the recipient, else the rejection
     */
    static SmtpReply recipient(ListenerSettings settings, SmtpServices services, SmtpContext ctx, Recipient rcpt) {
        SessionPolicy p = settings.policy();
        for (List<Restriction> list : List.of(p.clientRestrictions(), p.heloRestrictions(), p.senderRestrictions())) {
            SmtpReply r = evaluateList(list, services, ctx, rcpt, null);
            if (r != null) return r;
        }
        boolean[] unlistedAsked = new boolean[1];
        SmtpReply r = evaluateList(settings.recipientRestrictions(), services, ctx, rcpt, unlistedAsked);
        if (r != null) return r;
        if (settings.rejectUnlistedRecipient() && !unlistedAsked[0]) {
            Outcome o = evaluate(new Restriction(ListenerSettings.UNLISTED_RECIPIENT_CHECK, null), services, ctx, rcpt);
            if (o.reply != null) return o.reply;
            if (o.verdict.kind() == Verdict.Kind.REJECT) return o.verdict.reply();
        }
        return null;
    }

    /** @return a rejection that ends all lists, or null when this list permitted or ran out */
    private static SmtpReply evaluateList(List<Restriction> list, SmtpServices services, SmtpContext ctx,
            Recipient rcpt, boolean[] unlistedAsked) {
        for (Restriction restriction : list) {
            if (unlistedAsked != null && restriction.name().equals(ListenerSettings.UNLISTED_RECIPIENT_CHECK)) {
                unlistedAsked[0] = true;
            }
            Outcome o = evaluate(restriction, services, ctx, rcpt);
            if (o.reply != null) return o.reply;
            if (o.verdict.kind() == Verdict.Kind.PERMIT) return null;
            if (o.verdict.kind() == Verdict.Kind.REJECT) return o.verdict.reply();
        }
        return null;
    }

    /** A verdict, or a reply that ends the evaluation because the restriction could not be evaluated. */
    private record Outcome(Verdict verdict, SmtpReply reply) {
    }

    private static Outcome evaluate(Restriction restriction, SmtpServices services, SmtpContext ctx, Recipient rcpt) {
        String name = restriction.name();
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
            // the 3-argument form falls back to the 2-argument one for checks that take no argument
            Verdict v = check.onRecipient(ctx, rcpt, restriction.argument());
            return new Outcome(v == null ? Verdict.DUNNO : v, null);
        } catch (RuntimeException e) {
            LOG.error("listener {}: restriction {} failed on {}", ctx.listener(), name, rcpt.address().toPath(), e);
            return new Outcome(null, Replies.CONFIG_PROBLEM);
        }
    }
}
