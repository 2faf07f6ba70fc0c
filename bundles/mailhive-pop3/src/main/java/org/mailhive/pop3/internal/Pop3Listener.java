package org.mailhive.pop3.internal;

import static org.osgi.service.component.annotations.ConfigurationPolicy.REQUIRE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Predicate;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.store.MailboxLocator;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.api.users.Authenticator;
import org.mailhive.net.Endpoint;
import org.mailhive.net.InboundFilter;
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
 * One POP3 listener (Dovecot's inet_listener pop3/pop3s): a socket, its settings and the services
 * its sessions use. A changed address rebinds; other keys apply to new connections.
 */
@Component(service = {}, configurationPid = "org.mailhive.pop3.listener", configurationPolicy = REQUIRE)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class Pop3Listener implements Pop3Services {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Listener.class);

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile ServerIdentity identity;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile Authenticator authenticator;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile MailboxLocator locator;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile TlsContextProvider tls;

    private final StoreRegistry stores = new StoreRegistry();
    private final MailboxLocks locks;
    private volatile Predicate<InetAddress> localClient = InetAddress::isLoopbackAddress;

    /** Workers, and the timer for delayed replies (failed logins) so that no worker sleeps. */
    private ListenerThreads threads;
    private volatile ListenerSettings settings;
    private Endpoint endpoint;

    public Pop3Listener() {
        this.locks = MailboxLocks.SHARED;
    }

    /** For tests: the services a framework would inject, and a lock table of the test's own. */
    Pop3Listener(Authenticator authenticator, MailboxLocator locator, MailboxLocks locks) {
        this.authenticator = authenticator;
        this.locator = locator;
        this.locks = locks;
    }

    void setTls(TlsContextProvider tls) {
        this.tls = tls;
    }

    void setIdentity(ServerIdentity identity) {
        this.identity = identity;
    }

    /** For tests: which clients count as local (plaintext login allowed) instead of the loopback check. */
    void setLocalClient(Predicate<InetAddress> localClient) {
        this.localClient = localClient;
    }

    @Reference(name = "store", service = MailboxStore.class, cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindStore(MailboxStore store, Map<String, Object> props) {
        stores.add(store, props);
    }

    void unbindStore(MailboxStore store) {
        stores.remove(store);
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
            threads = new ListenerThreads("pop3-" + name, next.workerThreads());
        } else {
            threads.setMaxWorkers(next.workerThreads());
        }
        ListenerSettings old = settings;
        // published before binding: a connection may arrive the moment the socket listens
        settings = next;
        if ((endpoint == null || !next.sameAddress(old)) && !rebind(next, s.source()) && endpoint != null) {
            settings = next.withAddress(old.bind(), old.port());
        }
    }

    /** @return true when the listener now listens on the new address */
    private boolean rebind(ListenerSettings next, String source) {
        // no input backlog: a session suspends reading itself while its output drains
        Endpoint fresh = new Endpoint("pop3-" + next.name(), InboundFilter.marking(), threads.workers(),
                new Pop3IoHandler(this, () -> settings, threads));
        if (!fresh.bindReplacing(endpoint, new InetSocketAddress(next.bind(), next.port()), source, next.name())) {
            return false;
        }
        endpoint = fresh;
        LOG.info("POP3 listener {} on {}{}", next.name(), fresh.localAddress(), next.ssl() ? " (ssl)" : "");
        return true;
    }

    @Deactivate
    synchronized void deactivate() {
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

    ListenerSettings currentSettings() {
        return settings;
    }

    @Override
    public ServerIdentity identity() {
        return identity;
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public MailboxLocator locator() {
        return locator;
    }

    @Override
    public MailboxStore store(String format) {
        return stores.find(format);
    }

    @Override
    public TlsContextProvider tls() {
        return tls;
    }

    @Override
    public MailboxLocks locks() {
        return locks;
    }

    @Override
    public boolean isLocalClient(InetAddress client) {
        return localClient.test(client);
    }
}
