package org.mailhive.store.mbox.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * What every operation on an mbox needs from the configuration: how long to wait for locks,
 * when a dotlock is stale, the zone of From_ line dates (local time, as mutt and Postfix write
 * them) and the clock.
 */
record MboxEnv(Duration lockTimeout, Duration staleAfter, ZoneId zone, Clock clock) {

    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(5);

    static MboxEnv defaults() {
        return new MboxEnv(DEFAULT_LOCK_TIMEOUT, DEFAULT_STALE_AFTER, ZoneId.systemDefault(), Clock.systemUTC());
    }
}
