package org.mailhive.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailhive server identity", description = "main.cf's identity parameters")
@interface IdentityConfig {

    @AttributeDefinition(name = "myhostname", description = "Fully qualified host name; empty: the machine's name")
    String myhostname() default "";

    @AttributeDefinition(name = "mydomain", description = "Domain of this host; empty: myhostname minus its first label")
    String mydomain() default "";

    @AttributeDefinition(name = "myorigin", description = "Domain appended to unqualified sender addresses")
    String myorigin() default "$myhostname";

    @AttributeDefinition(name = "mydestination", description = "Domains delivered locally")
    String mydestination() default "localhost, $myhostname";

    @AttributeDefinition(name = "mynetworks", description = "Trusted client networks (CIDR) that may relay")
    String mynetworks() default "127.0.0.0/8, [::1]/128";
}
