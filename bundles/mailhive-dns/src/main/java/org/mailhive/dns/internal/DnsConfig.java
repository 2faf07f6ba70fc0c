package org.mailhive.dns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.dns.cfg}. */
@ObjectClassDefinition(name = "Mailhive DNS resolver",
        description = "Asynchronous DNS lookups for MX, A/AAAA, TXT, PTR and DNSBL queries")
@interface DnsConfig {

    @AttributeDefinition(name = "nameservers",
            description = "Recursive name servers as IP literals with an optional port: 192.0.2.53, 192.0.2.53:5353,"
                    + " 2001:db8::53, [2001:db8::53]:5353 (comma/space separated). Empty: the system's resolv.conf")
    String[] nameservers() default {};

    @AttributeDefinition(name = "dns_timeout",
            description = "Time limit of one lookup as a whole, all servers and retries included (e.g. 5s, 1m)")
    String dns__timeout() default "5s";

    @AttributeDefinition(name = "dns_retries",
            description = "How often a query is sent again to each server after it went unanswered (0-10)")
    int dns__retries() default 2;

    @AttributeDefinition(name = "dns_cache",
            description = "Cache answers for their TTL, including negative answers (yes/no)")
    boolean dns__cache() default true;
}
