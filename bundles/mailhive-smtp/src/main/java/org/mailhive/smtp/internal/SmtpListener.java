package org.mailhive.smtp.internal;

import static org.osgi.service.component.annotations.ConfigurationPolicy.REQUIRE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.api.users.Authenticator;
import org.mailhive.net.Endpoint;
import org.mailhive.net.InboundFilter;
import org.mailhive.net.InputBacklog;
import org.mailhive.net.ListenerThreads;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One smtpd listener (Postfix's master.cf smtp/inet line): a socket, its settings, and the
 * services its sessions use. A changed address rebinds; other keys apply to new connections.
 */
@Component(service = {}, configurationPid = "org.mailhive.smtp.listener", configurationPolicy = REQUIRE)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class SmtpListener implements SmtpServices {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile ServerIdentity identity;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile MessageSink sink;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile TlsContextProvider tls;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile Authenticator authenticator;

    private final CheckRegistry checks = new CheckRegistry();
    private final AuthFailures authFailures = new AuthFailures();
    /** Workers, and the timer for delayed replies (AUTH failures) so that no worker sleeps. */
    private ListenerThreads threads;

    private volatile ListenerSettings settings;
    private Endpoint endpoint;
    /** While the first bind waits for the services the listener needs; null once it listens. */
    private ScheduledFuture<?> readinessWait;
    private long waitingSince;

    /**
     * How long the first bind waits for missing services. Like Postfix, which opens its ports only
     * when its daemons run, a client should never meet a half-started server; but a provider that
     * never comes must not keep the port closed silently either.
     */
    static final long STARTUP_GRACE_MILLIS = 15_000;
    private long startupGraceMillis = STARTUP_GRACE_MILLIS;

    public SmtpListener() {
    }

    /** For tests: the services a real framework would inject. */
    SmtpListener(ServerIdentity identity, MessageSink sink) {
        this.identity = identity;
        this.sink = sink;
        // unit tests wire only the checks they exercise; the readiness test sets its own grace
        this.startupGraceMillis = 0;
    }

    void setStartupGrace(long millis) {
        this.startupGraceMillis = millis;
    }

    void setSink(MessageSink sink) {
        this.sink = sink;
    }

    /** For tests: TLS and authentication providers come and go. */
    void setTls(TlsContextProvider tls) {
        this.tls = tls;
    }

    void setAuthenticator(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Reference(service = Check.class, cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindCheck(Check check, Map<String, Object> props) {
        checks.add(check, props);
    }

    void unbindCheck(Check check, Map<String, Object> props) {
        checks.remove(check, props);
    }

    @Activate
    @Modified
    synchronized void configure(Map<String, Object> props) {
        Settings s = new Settings(props);
        String name = ListenerSettings.listenerName(props);
        ListenerSettings next = ListenerSettings.read(s, name);
        if (!s.ok()) {
            for (String line : s.describeProblems()) LOG.error(line);
            if (settings != null) {
                LOG.error("{}: keeping the previous configuration of listener {}", s.source(), settings.name());
                return;
            }
            LOG.error("{}: starting listener {} with default settings", s.source(), name);
            next = ListenerSettings.defaults(name);
        }
        if (threads == null) {
            threads = new ListenerThreads("smtpd-" + name, next.workerThreads());
        } else {
            threads.setMaxWorkers(next.workerThreads());
        }
        ListenerSettings old = settings;
        // Published before binding: a connection may arrive the moment the socket listens.
        settings = next;
        if (endpoint == null) {
            openWhenReady(s.source());
        } else if (!next.sameAddress(old) && !rebind(next, s.source())) {
            settings = next.withAddress(old.bind(), old.port());
        }
    }

    /** Binds now if every service the configuration names is present, else polls until it is. */
    private void openWhenReady(String source) {
        List<String> missing = missing(settings);
        if (missing.isEmpty() || startupGraceMillis == 0 || (readinessWait != null
                && System.nanoTime() - waitingSince > TimeUnit.MILLISECONDS.toNanos(startupGraceMillis))) {
            if (!missing.isEmpty()) {
                LOG.warn("listener {}: opening although still missing after {} ms: {} (clients get 4xx for what"
                        + " needs them)", settings.name(), startupGraceMillis, missing);
            }
            stopWaiting();
            rebind(settings, source);
            return;
        }
        if (readinessWait == null) {
            LOG.info("listener {} waits for {} before it opens port {}", settings.name(), missing, settings.port());
            waitingSince = System.nanoTime();
            // polled only while starting: bind callbacks for every kind of reference would be more code for
            // the same effect
            readinessWait = threads.scheduler().scheduleWithFixedDelay(() -> {
                synchronized (this) {
                    if (readinessWait != null && endpoint == null) openWhenReady(source);
                }
            }, 50, 50, TimeUnit.MILLISECONDS);
        }
    }

    private void stopWaiting() {
        if (readinessWait != null) {
            readinessWait.cancel(false);
            readinessWait = null;
        }
    }

    /** The services this configuration needs that are not registered (yet). */
    List<String> missing(ListenerSettings cfg) {
        List<String> missing = new ArrayList<>();
        if (sink == null) missing.add("MessageSink");
        SessionPolicy policy = cfg.policy();
        if ((policy.tlsOffered() || policy.wrapperMode()) && tls == null) missing.add("TlsContextProvider");
        if (policy.saslAuthEnable() && authenticator == null) missing.add("Authenticator");
        Set<String> names = new LinkedHashSet<>();
        for (List<Restriction> list : List.of(policy.clientRestrictions(), policy.heloRestrictions(),
                policy.senderRestrictions(), cfg.recipientRestrictions())) {
            names.addAll(Restriction.names(list));
        }
        if (cfg.rejectUnlistedRecipient()) names.add(ListenerSettings.UNLISTED_RECIPIENT_CHECK);
        names.removeAll(Restrictions.BUILT_IN);
        for (String name : names) {
            if (checks.find(name) == null) missing.add("check " + name);
        }
        return missing;
    }

    /** @return true when the listener now listens on the new address */
    private boolean rebind(ListenerSettings next, String source) {
        // the backlog keeps a client that sends faster than we write to disk from filling the heap
        Endpoint fresh = new Endpoint("smtpd-" + next.name(), InboundFilter.withBacklog(InputBacklog.HIGH,
                InputBacklog.LOW), threads.workers(), new SmtpIoHandler(this, () -> settings, threads));
        if (!fresh.bindReplacing(endpoint, new InetSocketAddress(next.bind(), next.port()), source, next.name())) {
            return false;
        }
        endpoint = fresh;
        LOG.info("listener {} on {}", next.name(), fresh.localAddress());
        return true;
    }

    @Deactivate
    synchronized void deactivate() {
        stopWaiting();
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
        }
        if (threads != null) {
            threads.close();
            threads = null;
        }
    }

    /** The port actually bound (tests bind port 0), or -1. */
    synchronized int localPort() {
        return endpoint == null ? -1 : endpoint.localAddress().getPort();
    }

    /** Connections whose reading is suspended by the input backlog now (for tests). */
    synchronized long readSuspendedSessions() {
        return endpoint == null ? 0 : endpoint.readSuspendedSessions();
    }

    ListenerSettings currentSettings() {
        return settings;
    }

    @Override
    public ServerIdentity identity() {
        return identity;
    }

    @Override
    public MessageSink sink() {
        return sink;
    }

    @Override
    public Check check(String name) {
        return checks.find(name);
    }

    @Override
    public TlsContextProvider tls() {
        return tls;
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public AuthFailures authFailures() {
        return authFailures;
    }
}
