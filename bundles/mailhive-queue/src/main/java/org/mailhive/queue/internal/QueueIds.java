package org.mailhive.queue.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Postfix-like queue ids: upper-case hex of microseconds since the epoch, strictly increasing
 * within the process. Seeded with the newest id already queued ({@link #after}), they stay
 * unique on disk even when the clock stepped back across a restart, without a look at the
 * queue per new message. Ids of the same length sort in arrival order, which the scheduler
 * relies on.
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

    /** Every id from now on sorts after {@code existing} (an id found on disk; other names are ignored). */
    void after(String existing) {
        long value;
        try {
            value = Long.parseUnsignedLong(existing, 16);
        } catch (NumberFormatException e) {
            return;
        }
        if (value < 0) return; // 16 hex digits: not one of ours
        last.accumulateAndGet(value, Math::max);
    }

    /** Orders ids by arrival: shorter hex is an earlier time. */
    static int compare(String a, String b) {
        int c = Integer.compare(a.length(), b.length());
        return c != 0 ? c : a.compareTo(b);
    }
}
