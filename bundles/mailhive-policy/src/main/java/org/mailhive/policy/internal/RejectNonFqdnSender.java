package org.mailhive.policy.internal;

import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.osgi.service.component.annotations.Component;

/**
 * reject_non_fqdn_sender: a MAIL FROM domain without a dot cannot be answered from the
 * Internet. Works in sender and (as Postfix's delayed rejection) recipient restrictions.
 */
@Component(service = Check.class, property = Check.NAME + "=reject_non_fqdn_sender")
public final class RejectNonFqdnSender implements Check {

    static final SmtpReply NOT_FQDN = SmtpReply.of(504, "5.5.2",
            "Sender address rejected: need fully-qualified address");

    @Override
    public Verdict onSender(SmtpContext session, MailAddress sender) {
        return judge(sender);
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        return judge(session.sender());
    }

    private static Verdict judge(MailAddress sender) {
        if (sender == null || sender.isNullSender()) return Verdict.DUNNO;
        return Domains.isFullyQualified(sender.domain())
                ? Verdict.DUNNO
                : Verdict.reject(PolicyReplies.about(sender, NOT_FQDN));
    }
}
