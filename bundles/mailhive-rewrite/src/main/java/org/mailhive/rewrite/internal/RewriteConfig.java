package org.mailhive.rewrite.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.rewrite.cfg}, named as in Postfix's main.cf. */
@ObjectClassDefinition(name = "Mailhive trivial-rewrite", description = "Address class and transport of an address")
@interface RewriteConfig {

    @AttributeDefinition(name = "local_transport",
            description = "Transport for domains in mydestination; transport[:nexthop]")
    String local__transport() default "local";

    @AttributeDefinition(name = "default_transport",
            description = "Transport for other domains; transport[:nexthop], e.g. smtp:[relay.example.org]:587")
    String default__transport() default "smtp";

    @AttributeDefinition(name = "relay_domains",
            description = "Domains this server relays for (comma/space separated; .example.org matches subdomains)")
    String[] relay__domains() default {};

    @AttributeDefinition(name = "relay_transport", description = "Transport for relay_domains; transport[:nexthop]")
    String relay__transport() default "smtp";
}
