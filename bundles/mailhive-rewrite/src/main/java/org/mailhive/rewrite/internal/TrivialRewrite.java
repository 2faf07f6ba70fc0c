package org.mailhive.rewrite.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.AddressResolver;
import org.mailhive.api.rewrite.Resolution;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's trivial-rewrite, first version: mydestination → local, relay_domains → relay,
 * anything else → remote. No transport_maps or virtual domains yet.
 */
@Component(service = AddressResolver.class, configurationPid = "org.mailhive.rewrite")
@Designate(ocd = RewriteConfig.class)
public final class TrivialRewrite implements AddressResolver {

    private static final Logger LOG = LoggerFactory.getLogger(TrivialRewrite.class);

    /** Immutable view of the configuration, swapped as a whole so a resolve never sees half of it. */
    record Rules(Transport local, Transport fallback, List<String> relayDomains, Transport relay) {
    }

    static final Rules DEFAULTS = new Rules(new Transport("local", ""), new Transport("smtp", ""), List.of(),
            new Transport("smtp", ""));

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerIdentity identity;

    private volatile Rules rules = DEFAULTS;
    private final Predicate<InetAddress> isLocalAddress;

    public TrivialRewrite() {
        this(TrivialRewrite::isInterfaceAddress);
    }

    TrivialRewrite(Predicate<InetAddress> isLocalAddress) {
        this.isLocalAddress = isLocalAddress;
    }

    /** For tests, which construct the resolver without DS. */
    void setIdentity(ServerIdentity identity) {
        this.identity = identity;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> props) {
        Settings s = new Settings(props);
        Transport local = transport(s, "local_transport", DEFAULTS.local());
        Transport fallback = transport(s, "default_transport", DEFAULTS.fallback());
        Transport relay = transport(s, "relay_transport", DEFAULTS.relay());
        List<String> relayDomains = new ArrayList<>();
        for (String d : s.list("relay_domains", List.of())) {
            String norm = normalize(d);
            if (norm.isEmpty() || norm.equals(".")) {
                s.problem("relay_domains", "empty domain in list");
            } else {
                relayDomains.add(norm);
            }
        }
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::error);
            return;
        }
        rules = new Rules(local, fallback, List.copyOf(relayDomains), relay);
    }

    private static Transport transport(Settings s, String key, Transport fallback) {
        String v = s.string(key, "");
        if (v.isEmpty()) return fallback;
        try {
            return Transport.parse(v);
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage());
            return fallback;
        }
    }

    private static String normalize(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") && d.length() > 1 ? d.substring(0, d.length() - 1) : d;
    }

    @Override
    public Resolution resolve(MailAddress address) {
        if (address.isNullSender()) {
            throw new IllegalArgumentException("the null sender <> has no destination");
        }
        Rules r = rules;
        ServerIdentity id = identity;
        if (id == null) {
            // only reachable outside DS (the reference is mandatory); without an identity nothing is local
            throw new IllegalStateException("no server identity");
        }
        // MailAddress keeps domains lower case without the root dot: that is the canonical form
        String domain = address.domain();
        if (isLocal(id, domain)) {
            return new Resolution(address, AddressClass.LOCAL, r.local().name(), r.local().nexthop());
        }
        if (matches(id, r.relayDomains(), domain)) {
            return new Resolution(address, AddressClass.RELAY, r.relay().name(), r.relay().nexthopOr(domain));
        }
        return new Resolution(address, AddressClass.REMOTE, r.fallback().name(), r.fallback().nexthopOr(domain));
    }

    private boolean isLocal(ServerIdentity id, String domain) {
        if (!domain.startsWith("[")) {
            return id.isMyDestination(domain);
        }
        // a literal is ours only when the operator listed it AND it is really one of our addresses
        InetAddress literal = parseLiteral(domain);
        if (literal == null || !isLocalAddress.test(literal)) return false;
        for (String dest : id.mydestination()) {
            if (dest.startsWith("[") && literal.equals(parseLiteral(dest))) return true;
        }
        return false;
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]} to an address, without any DNS lookup. */
    static InetAddress parseLiteral(String text) {
        if (text.length() < 3 || !text.startsWith("[") || !text.endsWith("]")) return null;
        String inner = text.substring(1, text.length() - 1);
        boolean v6 = inner.regionMatches(true, 0, "ipv6:", 0, 5);
        if (v6) {
            inner = inner.substring(5);
        } else if (!inner.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return null;
        }
        if (v6 && !inner.matches("[0-9a-fA-F:.]+")) return null;
        try {
            // a numeric literal is parsed, never looked up
            return InetAddress.getByName(inner);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean matches(ServerIdentity id, List<String> patterns, String domain) {
        for (String p : patterns) {
            String pat = p.indexOf('$') >= 0 ? normalize(id.expand(p)) : p;
            if (pat.startsWith(".")) {
                if (domain.endsWith(pat)) return true;
            } else if (pat.equals(domain)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInterfaceAddress(InetAddress a) {
        if (a.isLoopbackAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
