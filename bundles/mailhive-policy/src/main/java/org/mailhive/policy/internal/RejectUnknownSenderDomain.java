package org.mailhive.policy.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.dns.MxRecord;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * reject_unknown_sender_domain: a sender domain with neither MX nor address records cannot
 * receive the bounce of the mail we would accept. NXDOMAIN is permanent (550 5.1.8), a DNS
 * failure only defers (450 4.1.8), and a null MX (RFC 7505) says the domain sends no mail back.
 */
@Component(service = Check.class, property = Check.NAME + "=reject_unknown_sender_domain")
public final class RejectUnknownSenderDomain implements Check {

    private static final Logger LOG = LoggerFactory.getLogger(RejectUnknownSenderDomain.class);

    static final SmtpReply NOT_FOUND = SmtpReply.of(550, "5.1.8", "Sender address rejected: Domain not found");
    static final SmtpReply TEMPFAIL = SmtpReply.of(450, "4.1.8", "Sender address rejected: Domain not found");
    static final SmtpReply NULL_MX = SmtpReply.of(550, "5.7.27", "Sender address rejected: Domain does not accept mail");

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile DnsResolver dns;

    private final Duration wait;

    public RejectUnknownSenderDomain() {
        this(null, DnsAnswer.WAIT);
    }

    RejectUnknownSenderDomain(DnsResolver dns, Duration wait) {
        this.dns = dns;
        this.wait = wait;
    }

    @Override
    public Verdict onSender(SmtpContext session, MailAddress sender) {
        return judge(sender);
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        return judge(session.sender());
    }

    private Verdict judge(MailAddress sender) {
        if (sender == null || sender.isNullSender()) return Verdict.DUNNO;
        String domain = sender.domain();
        // literals have no DNS to consult; reject_non_fqdn_sender handles dotless names
        if (Domains.isAddressLiteral(domain)) return Verdict.DUNNO;
        DnsResolver resolver = dns;
        if (resolver == null) return Verdict.reject(PolicyReplies.SERVICE_MISSING);

        DnsAnswer<List<MxRecord>> mx = DnsAnswer.await(() -> resolver.mx(domain), wait);
        if (mx.notFound()) return Verdict.reject(PolicyReplies.about(sender, NOT_FOUND));
        if (mx.temporary()) return deferred(sender, "MX", mx.reason());
        List<MxRecord> hosts = mx.value();
        if (hosts.size() == 1 && hosts.get(0).isNullMx()) {
            return Verdict.reject(PolicyReplies.about(sender, NULL_MX));
        }
        if (!hosts.isEmpty()) return Verdict.DUNNO;

        // no MX: RFC 5321 section 5.1 falls back to the domain's own address records
        DnsAnswer<List<InetAddress>> addresses = DnsAnswer.await(() -> resolver.addresses(domain), wait);
        if (addresses.temporary()) return deferred(sender, "A/AAAA", addresses.reason());
        if (addresses.found() && !addresses.value().isEmpty()) return Verdict.DUNNO;
        return Verdict.reject(PolicyReplies.about(sender, NOT_FOUND));
    }

    private static Verdict deferred(MailAddress sender, String what, String reason) {
        LOG.warn("reject_unknown_sender_domain: {} lookup for {} failed: {}", what, sender.domain(), reason);
        return Verdict.reject(PolicyReplies.about(sender, TEMPFAIL));
    }
}
