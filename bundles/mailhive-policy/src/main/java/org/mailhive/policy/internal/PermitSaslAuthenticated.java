package org.mailhive.policy.internal;

import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.osgi.service.component.annotations.Component;

/** permit_sasl_authenticated: a client that logged in with AUTH may send anywhere. */
@Component(service = Check.class, property = Check.NAME + "=permit_sasl_authenticated")
public final class PermitSaslAuthenticated implements Check {

    @Override
    public Verdict onSender(SmtpContext session, MailAddress sender) {
        return judge(session);
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        return judge(session);
    }

    private static Verdict judge(SmtpContext session) {
        return session.authenticatedUser().filter(u -> !u.isEmpty()).isPresent() ? Verdict.PERMIT : Verdict.DUNNO;
    }
}
