package org.mailhive.policy.internal;

import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailhive.api.aliases.AliasExpander;
import org.mailhive.api.config.Settings;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.AddressResolver;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * reject_unknown_recipient (Postfix's smtpd_reject_unlisted_recipient for the local class):
 * refuse at RCPT time mail for local users that do not exist, so that we never accept mail we
 * would have to bounce to a possibly forged sender (backscatter). The references are mandatory:
 * without a resolver and a user directory this check cannot decide, so it is not offered at all
 * and smtpd answers 451 4.3.5 (and waits for it before opening its port at start). The alias
 * expander is optional: an alias name (team@localhost) is no user but takes mail, and without
 * the expander only users are known, as before aliases existed.
 */
@Component(service = Check.class, property = Check.NAME + "=reject_unknown_recipient",
        configurationPid = "org.mailhive.policy")
@Designate(ocd = UnknownRecipientConfig.class)
public final class RejectUnknownRecipient implements Check {

    private static final Logger LOG = LoggerFactory.getLogger(RejectUnknownRecipient.class);

    @Reference(policy = DYNAMIC, policyOption = GREEDY)
    private volatile AddressResolver resolver;

    @Reference(policy = DYNAMIC, policyOption = GREEDY)
    private volatile UserDirectory users;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile AliasExpander aliases;

    private volatile String delimiter = "+";

    public RejectUnknownRecipient() {
    }

    RejectUnknownRecipient(AddressResolver resolver, UserDirectory users) {
        this(resolver, users, null);
    }

    RejectUnknownRecipient(AddressResolver resolver, UserDirectory users, AliasExpander aliases) {
        this.resolver = resolver;
        this.users = users;
        this.aliases = aliases;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> props) {
        Settings s = new Settings(props);
        String d = s.string("recipient_delimiter", "+");
        if (d.contains("@") || d.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            s.problem("recipient_delimiter", "must not contain '@', white space or control characters");
        }
        if (!s.ok()) {
            s.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            return;
        }
        delimiter = d;
    }

    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        AddressResolver r = resolver;
        if (r == null) return Verdict.reject(PolicyReplies.SERVICE_MISSING);
        MailAddress rcpt = recipient.address();
        try {
            Resolution res = r.resolve(rcpt);
            if (res == null || res.addressClass() == null) return Verdict.reject(PolicyReplies.LOOKUP_FAILED);
            if (res.addressClass() != AddressClass.LOCAL) return Verdict.DUNNO;
            MailAddress canonical = res.address() == null ? rcpt : res.address();
            // RFC 5321 section 4.5.1: every domain we deliver for has a postmaster.
            if (canonical.localPart().toLowerCase(Locale.ROOT).equals("postmaster")) return Verdict.DUNNO;
            // asked before the directory: an alias takes mail even while the directory is away
            AliasExpander expander = aliases;
            if (expander != null
                    && (expander.isAlias(canonical) || (!canonical.equals(rcpt) && expander.isAlias(rcpt)))) {
                return Verdict.DUNNO;
            }
            UserDirectory dir = users;
            if (dir == null) return Verdict.reject(PolicyReplies.about(rcpt, PolicyReplies.DIRECTORY_UNAVAILABLE));
            return known(dir, canonical, delimiter)
                    ? Verdict.DUNNO
                    : Verdict.reject(PolicyReplies.about(rcpt, PolicyReplies.USER_UNKNOWN));
        } catch (RuntimeException e) {
            LOG.error("reject_unknown_recipient: lookup of {} failed", rcpt.toPath(), e);
            return Verdict.reject(PolicyReplies.LOOKUP_FAILED);
        }
    }

    /**
     * All local domains are one namespace in Postfix's local class, so a user whose login is a
     * bare name (a system user) owns that local part in every local domain. An address extension
     * (alice+tag) belongs to the user without it, as local delivery finds it.
     */
    private static boolean known(UserDirectory dir, MailAddress address, String delimiter) {
        if (knownAsIs(dir, address)) return true;
        String local = address.localPart();
        for (int i = 0; i < local.length(); i++) {
            if (delimiter.indexOf(local.charAt(i)) >= 0) {
                // a leading delimiter is part of the name, as in Postfix
                return i > 0 && knownAsIs(dir, MailAddress.of(local.substring(0, i), address.domain()));
            }
        }
        return false;
    }

    private static boolean knownAsIs(UserDirectory dir, MailAddress address) {
        Optional<MailUser> user = dir.lookup(address);
        if (user.isPresent()) return true;
        return dir.lookup(address.localPart().toLowerCase(Locale.ROOT)).isPresent();
    }
}
