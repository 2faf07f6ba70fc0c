package org.mailhive.queue.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.mailhive.api.config.Settings;

/** The queue's configuration after validation. */
record QueueSettings(Path directory, Duration minimalBackoff, Duration maximalBackoff, Duration queueRunDelay,
        Duration maximalLifetime, int concurrency, int activeWindow, Duration delayWarning, int destinationLimit) {

    /** Postfix's default_destination_concurrency_limit. */
    static final int DESTINATION_LIMIT = 20;

    QueueSettings(Path directory, Duration minimalBackoff, Duration maximalBackoff, Duration queueRunDelay,
            Duration maximalLifetime, int concurrency, int activeWindow) {
        this(directory, minimalBackoff, maximalBackoff, queueRunDelay, maximalLifetime, concurrency, activeWindow,
                Duration.ZERO, DESTINATION_LIMIT);
    }

    QueueSettings withDelayWarning(Duration d) {
        return new QueueSettings(directory, minimalBackoff, maximalBackoff, queueRunDelay, maximalLifetime,
                concurrency, activeWindow, d, destinationLimit);
    }

    QueueSettings withDirectory(Path d) {
        return new QueueSettings(d, minimalBackoff, maximalBackoff, queueRunDelay, maximalLifetime,
                concurrency, activeWindow, delayWarning, destinationLimit);
    }

    QueueSettings withDestinationLimit(int limit) {
        return new QueueSettings(directory, minimalBackoff, maximalBackoff, queueRunDelay, maximalLifetime,
                concurrency, activeWindow, delayWarning, limit);
    }

    static final Duration MINIMAL_BACKOFF = Duration.ofSeconds(300);
    static final Duration MAXIMAL_BACKOFF = Duration.ofSeconds(4000);
    static final Duration QUEUE_RUN_DELAY = Duration.ofSeconds(300);
    static final Duration MAXIMAL_LIFETIME = Duration.ofDays(5);

    static QueueSettings defaults(Path directory) {
        return new QueueSettings(directory, MINIMAL_BACKOFF, MAXIMAL_BACKOFF, QUEUE_RUN_DELAY, MAXIMAL_LIFETIME, 8, 1000);
    }

    /** Reads every key; problems are recorded in {@code s}. {@code dataDir} may be null outside a framework. */
    static QueueSettings from(Settings s, String dataDir) {
        String dir = s.string("queue_directory", "");
        Path path;
        if (dir.isEmpty()) {
            String base = dataDir == null || dataDir.isEmpty() ? "data" : dataDir;
            path = Path.of(base, "queue");
        } else {
            path = Path.of(dir);
            if (!path.isAbsolute()) s.problem("queue_directory", "must be an absolute path: \"" + dir + "\"");
        }
        Duration min = s.duration("minimal_backoff_time", MINIMAL_BACKOFF);
        Duration max = s.duration("maximal_backoff_time", MAXIMAL_BACKOFF);
        if (min.isZero()) s.problem("minimal_backoff_time", "must be more than 0");
        if (max.compareTo(min) < 0) s.problem("maximal_backoff_time", "must not be less than minimal_backoff_time");
        Duration run = s.duration("queue_run_delay", QUEUE_RUN_DELAY);
        if (run.isZero()) s.problem("queue_run_delay", "must be more than 0");
        Duration life = s.duration("maximal_queue_lifetime", MAXIMAL_LIFETIME);
        int conc = s.integer("delivery_concurrency", 8, 1, 1000);
        int window = s.integer("active_window", 1000, 1, 1_000_000);
        Duration warn = s.duration("delay_warning_time", Duration.ZERO);
        int perDestination = s.integer("default_destination_concurrency_limit", DESTINATION_LIMIT, 1, 1000);
        return new QueueSettings(path.toAbsolutePath().normalize(), min, max, run, life, conc, window, warn,
                perDestination);
    }

    /** The wait after {@code attempts} failed attempts: minimal, then doubling, never above maximal. */
    Duration backoff(int attempts) {
        Duration d = minimalBackoff;
        for (int i = 1; i < attempts && d.compareTo(maximalBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maximalBackoff) > 0 ? maximalBackoff : d;
    }
}
