package org.mailhive.api.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous DNS lookups. Every stage completes within the resolver's configured timeout,
 * normally or exceptionally with a {@link DnsException}; callers never block an I/O thread on it.
 * Names are given without a trailing dot.
 */
@org.osgi.annotation.versioning.ProviderType
public interface DnsResolver {

    /** MX records in the order received (callers sort by preference). */
    CompletionStage<List<MxRecord>> mx(String domain);

    /** A and AAAA records of a host, IPv4 first. */
    CompletionStage<List<InetAddress>> addresses(String host);

    /** A records only, as DNSBL lookups need ({@code 2.0.0.127.zen.example}). */
    CompletionStage<List<InetAddress>> ipv4(String name);

    /** TXT records, each record's strings joined. */
    CompletionStage<List<String>> txt(String name);

    /** PTR names of an address (reverse DNS), without trailing dots. */
    CompletionStage<List<String>> ptr(InetAddress address);
}
