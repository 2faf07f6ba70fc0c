package org.mailhive.smtp.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.tls.TlsContextProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's smtp(8): delivers to the next hop of each recipient (its MX hosts, a bracketed
 * host, or the relayhost) and reports one result per recipient. The queue's worker thread blocks
 * here for the whole dialogue, waiting on MINA futures and on the session's inbox with the
 * timeout of each phase; MINA's I/O threads never wait for it.
 */
@Component(service = DeliveryAgent.class, configurationPid = "org.mailhive.smtp.client",
        property = DeliveryAgent.TRANSPORT + "=smtp")
@Designate(ocd = SmtpClientConfig.class)
public final class SmtpDelivery implements DeliveryAgent {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpDelivery.class);
    private static final Logger MAIL_LOG = LoggerFactory.getLogger("mail.smtp");
    private static final String NO_RELAY = "none";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DnsResolver dns;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerIdentity identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TlsContextProvider tls;

    private volatile ClientSettings settings = ClientSettings.DEFAULTS;
    private final Router router;
    private final ScheduledThreadPoolExecutor timer;
    private final ClientTransport transport;
    private final ConnectionCache cache;

    public SmtpDelivery() {
        this(SmtpDelivery::isInterfaceAddress, new Random());
    }

    SmtpDelivery(Predicate<InetAddress> isLocalAddress, Random random) {
        this.router = new Router(isLocalAddress, random);
        // ends idle cached sessions; never touches a session in use
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mailhive-smtp-client-cache");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.transport = new ClientTransport();
        this.cache = new ConnectionCache(timer);
    }

    void setDns(DnsResolver dns) {
        this.dns = dns;
    }

    void setIdentity(ServerIdentity identity) {
        this.identity = identity;
    }

    void setTls(TlsContextProvider tls) {
        this.tls = tls;
    }

    void setSettings(ClientSettings settings) {
        this.settings = settings;
    }

    ClientSettings settings() {
        return settings;
    }

    ConnectionCache cache() {
        return cache;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> props) {
        Settings s = new Settings(props);
        ClientSettings next = ClientSettings.read(s);
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::error);
            return;
        }
        settings = next;
    }

    @Deactivate
    void close() {
        cache.closeAll(settings.quitTimeout());
        timer.shutdownNow();
        transport.close();
    }

    private record Group(Nexthop hop, boolean viaRelayhost, List<Resolution> recipients) {
    }

    @Override
    public List<RecipientResult> deliver(DeliveryRequest request) {
        ClientSettings cfg = settings;
        List<RecipientResult> results = new ArrayList<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Resolution r : request.recipients()) {
            String nexthop = r.nexthop() == null ? "" : r.nexthop();
            boolean viaRelayhost = cfg.relayhost() != null
                    && (nexthop.isEmpty() || nexthop.equalsIgnoreCase(r.address().domain()));
            Nexthop hop;
            try {
                hop = viaRelayhost ? cfg.relayhost() : Nexthop.parse(nexthop.isEmpty() ? r.address().domain() : nexthop,
                        cfg.port());
            } catch (IllegalArgumentException e) {
                results.add(RecipientResult.deferred(r.address(), EnhancedStatus.of(4, 3, 5), NO_RELAY,
                        "bad next hop: " + e.getMessage()));
                continue;
            }
            String key = (viaRelayhost ? "relayhost " : "") + hop.key();
            groups.computeIfAbsent(key, k -> new Group(hop, viaRelayhost, new ArrayList<>())).recipients().add(r);
        }
        for (Map.Entry<String, Group> g : groups.entrySet()) {
            results.addAll(deliver(request, g.getKey(), g.getValue(), cfg));
        }
        return results;
    }

    private List<RecipientResult> deliver(DeliveryRequest request, String key, Group group, ClientSettings cfg) {
        List<Resolution> rcpts = group.recipients();
        ServerIdentity id = identity;
        if (id == null) {
            return all(rcpts, DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 3, 0), NO_RELAY,
                    "server identity (myhostname) not available");
        }
        TlsContexts tlsContexts = null;
        if (cfg.tlsLevel() != ClientSettings.TlsLevel.NONE) {
            try {
                tlsContexts = TlsContexts.unverified(tls);
            } catch (GeneralSecurityException e) {
                LOG.error("cannot create a TLS context for outgoing mail", e);
                return all(rcpts, DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 7, 5), NO_RELAY,
                        "TLS not available: " + e.getMessage());
            }
        }
        Handshake.Plan plan = new Handshake.Plan(cfg, id.expand(cfg.heloName()), id.myhostname(), tlsContexts,
                group.viaRelayhost() && cfg.saslEnabled());

        SmtpConnection cached = cfg.cacheTimeLimit().isZero() ? null
                : cache.take(key, cfg.cacheTimeLimit(), cfg.quitTimeout());
        if (cached != null) {
            Transaction.Outcome o = new Transaction(cached, cfg, request, rcpts).run();
            // a session the server closed while idle fails before any reply: then start afresh
            if (!o.staleSession()) return release(key, cached, o, cfg);
            cached.close();
        }

        List<Router.Target> targets;
        try {
            targets = router.route(group.hop(), dns, id.myhostname());
        } catch (Router.RouteFailure f) {
            return all(rcpts, f.status, f.dsn, NO_RELAY, f.getMessage());
        }
        SessionFailure last = null;
        for (Router.Target t : targets) {
            SmtpConnection c;
            try {
                c = open(t, plan);
            } catch (SessionFailure f) {
                if (f.loop) {
                    MAIL_LOG.warn(f.getMessage());
                    return all(rcpts, DeliveryStatus.BOUNCED, EnhancedStatus.of(5, 4, 6), NO_RELAY,
                            "mail for " + group.hop().host() + " loops back to myself");
                }
                last = f;
                continue;
            }
            return release(key, c, new Transaction(c, cfg, request, rcpts).run(), cfg);
        }
        if (last == null) {
            return all(rcpts, DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 4, 1), NO_RELAY, "no host to try");
        }
        return all(rcpts, DeliveryStatus.DEFERRED, last.dsn, NO_RELAY, last.getMessage());
    }

    /** Postfix's opportunistic TLS: a failed handshake at level may is retried once in plaintext. */
    private SmtpConnection open(Router.Target t, Handshake.Plan plan) throws SessionFailure {
        try {
            return Handshake.open(t, plan, transport);
        } catch (SessionFailure f) {
            if (!f.tlsHandshake || plan.settings().tlsLevel() != ClientSettings.TlsLevel.MAY) throw f;
            MAIL_LOG.info(f.getMessage() + "; trying again without TLS");
            Handshake.Plan plain = new Handshake.Plan(plan.settings().withTlsLevel(ClientSettings.TlsLevel.NONE),
                    plan.heloName(), plan.myhostname(), null, plan.authenticate());
            return Handshake.open(t, plain, transport);
        }
    }

    /** RSET, then the session waits in the cache for the next message to this next hop. */
    private List<RecipientResult> release(String key, SmtpConnection c, Transaction.Outcome o, ClientSettings cfg) {
        if (!o.reusable()) {
            MAIL_LOG.info(o.results().stream().filter(r -> r.status() == DeliveryStatus.DEFERRED)
                    .map(RecipientResult::reason).findFirst().orElse("session with " + c.peer() + " broken"));
            c.close();
            return o.results();
        }
        if (cfg.cacheTimeLimit().isZero()) {
            c.quit(cfg.quitTimeout());
            return o.results();
        }
        try {
            c.send("RSET");
            c.flush(cfg.rsetTimeout());
            Reply r = c.read(cfg.rsetTimeout());
            if (r.positive()) {
                cache.put(key, c, cfg.cacheTimeLimit(), cfg.quitTimeout());
            } else {
                c.quit(cfg.quitTimeout());
            }
        } catch (IOException e) {
            c.close();
        }
        return o.results();
    }

    private static List<RecipientResult> all(List<Resolution> rcpts, DeliveryStatus status, EnhancedStatus dsn,
            String relay, String reason) {
        List<RecipientResult> out = new ArrayList<>();
        for (Resolution r : rcpts) out.add(new RecipientResult(r.address(), status, dsn, relay, reason));
        return out;
    }

    /** Loopback, wildcard or an address of one of this machine's interfaces. */
    static boolean isInterfaceAddress(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
