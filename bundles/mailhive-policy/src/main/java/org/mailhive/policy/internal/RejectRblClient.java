package org.mailhive.policy.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.mailhive.api.dns.DnsResolver;
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
 * reject_rbl_client zone[=filter]: reject clients whose address is listed in a DNS blocklist.
 * As in Postfix, a list that cannot be reached (or no resolver at all) must not stop mail: that
 * is DUNNO with a warning, never a rejection.
 */
@Component(service = Check.class, property = Check.NAME + "=reject_rbl_client")
public final class RejectRblClient implements Check {

    private static final Logger LOG = LoggerFactory.getLogger(RejectRblClient.class);

    static final SmtpReply BLOCKED = SmtpReply.of(554, "5.7.1", "Service unavailable");
    static final SmtpReply MISCONFIGURED = SmtpReply.of(451, "4.3.5", "Server configuration problem");

    /** The reason text is a nicety: it gets only a short wait of its own. */
    private static final Duration TXT_WAIT = Duration.ofSeconds(1);
    private static final int MAX_REASON = 200;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile DnsResolver dns;

    private final Duration wait;

    public RejectRblClient() {
        this(null, DnsAnswer.WAIT);
    }

    RejectRblClient(DnsResolver dns, Duration wait) {
        this.dns = dns;
        this.wait = wait;
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        LOG.error("reject_rbl_client needs a DNSBL zone argument, e.g. \"reject_rbl_client zen.spamhaus.org\"");
        return Verdict.reject(MISCONFIGURED);
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient, String argument) {
        RblArgument rbl;
        try {
            rbl = RblArgument.parse(argument);
        } catch (IllegalArgumentException e) {
            LOG.error("reject_rbl_client: {}", e.getMessage());
            return Verdict.reject(MISCONFIGURED);
        }
        InetAddress client = session.clientAddress();
        if (client == null) return Verdict.DUNNO;
        DnsResolver resolver = dns;
        String clientText = Domains.text(client);
        if (resolver == null) {
            LOG.warn("reject_rbl_client {}: no DNS resolver, not checking [{}]", rbl.zone(), clientText);
            return Verdict.DUNNO;
        }
        String query = Domains.reversed(client) + "." + rbl.zone();
        DnsAnswer<List<InetAddress>> answer = DnsAnswer.await(() -> resolver.ipv4(query), wait);
        if (answer.temporary()) {
            LOG.warn("reject_rbl_client: lookup of {} failed, not checking [{}]: {}", query, clientText, answer.reason());
            return Verdict.DUNNO;
        }
        if (!answer.found()) return Verdict.DUNNO;
        boolean listed = false;
        for (InetAddress a : answer.value()) {
            if (rbl.lists(a)) {
                listed = true;
            } else if (rbl.filter() == null) {
                LOG.warn("reject_rbl_client: {} answered {} for [{}], not a listing code; ignored",
                        rbl.zone(), a.getHostAddress(), clientText);
            }
        }
        if (!listed) return Verdict.DUNNO;
        String text = BLOCKED.lines().get(0) + "; Client host [" + clientText + "] blocked using " + rbl.zone();
        String reason = reason(resolver, query);
        return Verdict.reject(BLOCKED.withText(reason.isEmpty() ? text : text + "; " + reason));
    }

    /** The list's TXT record, made safe for a reply line; "" when it is missing or slow. */
    private static String reason(DnsResolver resolver, String query) {
        DnsAnswer<List<String>> txt = DnsAnswer.await(() -> resolver.txt(query), TXT_WAIT);
        if (!txt.found() || txt.value().isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        for (char c : txt.value().get(0).toCharArray()) {
            if (sb.length() >= MAX_REASON) break;
            sb.append(c < 32 || c == 127 ? ' ' : c);
        }
        return sb.toString().trim();
    }
}
