package org.mailhive.api.core;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Who this server is, as Postfix's main.cf says it: myhostname, mydomain, myorigin,
 * mydestination and mynetworks, with {@code $name} references already expanded.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ServerIdentity {

    /** Fully qualified host name used in the banner, HELO and Received headers. */
    String myhostname();

    String mydomain();

    /** Domain appended to unqualified local sender addresses. */
    String myorigin();

    /** Domains this server delivers locally (lower case, no trailing dot). */
    Set<String> mydestination();

    /** True when mail for this domain is delivered locally. */
    boolean isMyDestination(String domain);

    /** Networks whose clients may relay, as CIDR texts. */
    List<String> mynetworks();

    /** True when the client address is inside mynetworks. */
    boolean inMynetworks(InetAddress client);

    /** Expands {@code $myhostname}, {@code ${mydomain}} … in a configuration value. */
    String expand(String value);
}
