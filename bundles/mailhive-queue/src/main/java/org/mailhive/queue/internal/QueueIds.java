package org.mailhive.queue.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Postfix-like queue ids: upper-case hex of microseconds since the epoch, strictly increasing
 * within the process. Uniqueness on disk is settled by the caller creating the directory.
 * Ids of the same length sort in arrival order, which the scheduler relies on.
 */
final class QueueIds {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    QueueIds(Clock clock) {
        this.clock = clock;
    }

    String next() {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        long id = last.updateAndGet(prev -> Math.max(prev + 1, micros));
        return Long.toHexString(id).toUpperCase(Locale.ROOT);
    }

    /** Orders ids by arrival: shorter hex is an earlier time. */
    static int compare(String a, String b) {
        int c = Integer.compare(a.length(), b.length());
        return c != 0 ? c : a.compareTo(b);
    }
}
