package org.mailhive.admin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.mailhive.admin}: where the local admin endpoint listens. */
@ObjectClassDefinition(name = "Mailhive admin endpoint",
        description = "The Unix domain socket bin/mailhive reload and status talk to; only its owner can use it")
@interface AdminConfig {

    @AttributeDefinition(name = "admin_socket",
            description = "Absolute path of the socket; empty: ${mailhive.data}/run/admin.sock (the directory is made 0700)")
    String admin__socket() default "";
}
