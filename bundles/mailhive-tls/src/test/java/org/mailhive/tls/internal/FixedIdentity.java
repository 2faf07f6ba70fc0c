package org.mailhive.tls.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.mailhive.api.core.ServerIdentity;

/** Only myhostname matters to the TLS bundle. */
final class FixedIdentity implements ServerIdentity {
    private final String host;

    FixedIdentity(String host) {
        this.host = host;
    }

    @Override
    public String myhostname() {
        return host;
    }

    @Override
    public String mydomain() {
        return host.substring(host.indexOf('.') + 1);
    }

    @Override
    public String myorigin() {
        return host;
    }

    @Override
    public Set<String> mydestination() {
        return Set.of(host);
    }

    @Override
    public boolean isMyDestination(String domain) {
        return host.equalsIgnoreCase(domain);
    }

    @Override
    public List<String> mynetworks() {
        return List.of("127.0.0.0/8");
    }

    @Override
    public boolean inMynetworks(InetAddress client) {
        return client.isLoopbackAddress();
    }

    @Override
    public String expand(String value) {
        return value.replace("$myhostname", host);
    }
}
