package org.mailhive.core.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's identity from {@code org.mailhive.core}. A bad value keeps the previous identity
 * in force (the defaults on first start) and names file, key and reason in the log.
 */
@Component(service = ServerIdentity.class, configurationPid = "org.mailhive.core")
@Designate(ocd = IdentityConfig.class)
public final class ServerIdentityService implements ServerIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(ServerIdentityService.class);

    private volatile Identity identity;
    private final String systemHost;

    public ServerIdentityService() {
        this(systemHostName());
    }

    ServerIdentityService(String systemHost) {
        this.systemHost = systemHost;
        this.identity = Identity.from(new Settings(Map.of()), systemHost);
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Settings settings = new Settings(properties);
        Identity next = Identity.from(settings, systemHost);
        if (!settings.ok()) {
            settings.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            return;
        }
        identity = next;
        LOG.info("myhostname={}, mydestination={}, mynetworks={}", next.myhostname, next.mydestination,
                next.mynetworks.stream().map(NetworkRange::text).toList());
    }

    private static String systemHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    @Override
    public String myhostname() {
        return identity.myhostname;
    }

    @Override
    public String mydomain() {
        return identity.mydomain;
    }

    @Override
    public String myorigin() {
        return identity.myorigin;
    }

    @Override
    public Set<String> mydestination() {
        return identity.mydestination;
    }

    @Override
    public boolean isMyDestination(String domain) {
        String d = domain.toLowerCase(java.util.Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        return identity.mydestination.contains(d);
    }

    @Override
    public List<String> mynetworks() {
        return identity.mynetworks.stream().map(NetworkRange::text).toList();
    }

    @Override
    public boolean inMynetworks(InetAddress client) {
        return identity.inMynetworks(client);
    }

    @Override
    public String expand(String value) {
        return identity.expand(value);
    }
}
