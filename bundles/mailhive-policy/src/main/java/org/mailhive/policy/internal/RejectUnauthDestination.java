package org.mailhive.policy.internal;

import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.AddressResolver;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * reject_unauth_destination: this server only takes mail for domains it is responsible for
 * (local, virtual, relay_domains); anything else is relaying and needs an earlier PERMIT.
 * Routing characters in local parts of local domains are left to reject_unknown_recipient:
 * trivial-rewrite does not route on them, so they name (unknown) local users.
 */
@Component(service = Check.class, property = Check.NAME + "=reject_unauth_destination")
public final class RejectUnauthDestination implements Check {

    private static final Logger LOG = LoggerFactory.getLogger(RejectUnauthDestination.class);

    @Reference(policy = DYNAMIC, policyOption = GREEDY)
    private volatile AddressResolver resolver;

    public RejectUnauthDestination() {
    }

    RejectUnauthDestination(AddressResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        AddressResolver r = resolver;
        if (r == null) return Verdict.reject(PolicyReplies.SERVICE_MISSING);
        MailAddress rcpt = recipient.address();
        Resolution res;
        try {
            res = r.resolve(rcpt);
        } catch (RuntimeException e) {
            LOG.error("reject_unauth_destination: cannot resolve {}", rcpt.toPath(), e);
            return Verdict.reject(PolicyReplies.LOOKUP_FAILED);
        }
        if (res == null || res.addressClass() == null) {
            return Verdict.reject(PolicyReplies.LOOKUP_FAILED);
        }
        return res.addressClass() == AddressClass.REMOTE
                ? Verdict.reject(PolicyReplies.about(rcpt, PolicyReplies.RELAY_DENIED))
                : Verdict.DUNNO;
    }
}
