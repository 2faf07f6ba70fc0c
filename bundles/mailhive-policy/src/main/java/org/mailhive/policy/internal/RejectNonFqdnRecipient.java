package org.mailhive.policy.internal;

import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.osgi.service.component.annotations.Component;

/** reject_non_fqdn_recipient: RCPT TO domains must be fully qualified (or address literals). */
@Component(service = Check.class, property = Check.NAME + "=reject_non_fqdn_recipient")
public final class RejectNonFqdnRecipient implements Check {

    static final SmtpReply NOT_FQDN = SmtpReply.of(504, "5.5.2",
            "Recipient address rejected: need fully-qualified address");

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        MailAddress rcpt = recipient.address();
        return Domains.isFullyQualified(rcpt.domain())
                ? Verdict.DUNNO
                : Verdict.reject(PolicyReplies.about(rcpt, NOT_FQDN));
    }
}
