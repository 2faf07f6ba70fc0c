package org.mailhive.queue.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.mailhive.queue}; names and meanings as Postfix's main.cf. Times as Postfix writes them (300s, 5m, 5d). */
@ObjectClassDefinition(name = "Mailhive queue manager", description = "qmgr: queue directory, retries, concurrency")
@interface QueueConfig {

    @AttributeDefinition(name = "queue_directory", description = "Queue root; empty: ${mailhive.data}/queue")
    String queue__directory() default "";

    @AttributeDefinition(name = "minimal_backoff_time", description = "Shortest wait before retrying a deferred message")
    String minimal__backoff__time() default "300s";

    @AttributeDefinition(name = "maximal_backoff_time", description = "Longest wait between retries (the wait doubles each attempt)")
    String maximal__backoff__time() default "4000s";

    @AttributeDefinition(name = "queue_run_delay", description = "Interval of the full scan of the deferred queue")
    String queue__run__delay() default "300s";

    @AttributeDefinition(name = "maximal_queue_lifetime", description = "Age after which deferred recipients are returned as undeliverable")
    String maximal__queue__lifetime() default "5d";

    @AttributeDefinition(name = "delay_warning_time",
            description = "Age after which the sender is told once that the message is still being retried; 0 = never")
    String delay__warning__time() default "0h";

    @AttributeDefinition(name = "default_destination_concurrency_limit",
            description = "Deliveries in flight at once to one destination (transport and next hop)")
    int default__destination__concurrency__limit() default 20;

    @AttributeDefinition(name = "delivery_concurrency", description = "Delivery worker threads")
    int delivery__concurrency() default 8;

    @AttributeDefinition(name = "active_window", description = "Most messages worked on at once; the rest wait on disk")
    int active__window() default 1000;
}
