package org.mailhive.cleanup.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.mailhive.cleanup}; names and meanings as Postfix's main.cf. */
@ObjectClassDefinition(name = "Mailhive cleanup", description = "cleanup: header repair and size limit")
@interface CleanupConfig {

    @AttributeDefinition(name = "header_size_limit",
            description = "Bytes of header section examined; past it the rest passes through as body")
    long header__size__limit() default 102400;

    @AttributeDefinition(name = "message_size_limit",
            description = "Largest message in bytes as received (0 = unlimited); larger ones get 552 5.3.4")
    long message__size__limit() default 52428800;

    @AttributeDefinition(name = "always_add_missing_headers",
            description = "Add a missing From: for remote mail too (Date and Message-ID are always added)")
    boolean always__add__missing__headers() default false;
}
