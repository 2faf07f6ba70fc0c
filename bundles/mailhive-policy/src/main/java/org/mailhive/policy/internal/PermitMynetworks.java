package org.mailhive.policy.internal;

import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.net.InetAddress;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** permit_mynetworks: clients inside mynetworks may send anywhere. */
@Component(service = Check.class, property = Check.NAME + "=permit_mynetworks")
public final class PermitMynetworks implements Check {

    @Reference(policy = DYNAMIC, policyOption = GREEDY)
    private volatile ServerIdentity identity;

    public PermitMynetworks() {
    }

    PermitMynetworks(ServerIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Verdict onConnect(SmtpContext session) {
        return judge(session);
    }

    @Override
    public Verdict onSender(SmtpContext session, MailAddress sender) {
        return judge(session);
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        return judge(session);
    }

    private Verdict judge(SmtpContext session) {
        ServerIdentity id = identity;
        // Without mynetworks we cannot know who is trusted: a temporary answer, never PERMIT.
        if (id == null) return Verdict.reject(PolicyReplies.SERVICE_MISSING);
        InetAddress client = session.clientAddress();
        return client != null && id.inMynetworks(client) ? Verdict.PERMIT : Verdict.DUNNO;
    }
}
