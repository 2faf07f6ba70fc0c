package org.mailhive.smtp.client.internal;

import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Idle sessions per next hop (Postfix's scache): a session that finished a transaction with RSET
 * waits here up to smtp_connection_cache_time_limit for the next message to the same next hop;
 * then it is closed with QUIT. Whoever removes a session from a queue owns it, so a session is
 * never used by two threads or closed while in use.
 */
final class ConnectionCache {

    private record Idle(SmtpConnection connection, long sinceNanos) {
    }

    private final Map<String, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    ConnectionCache(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** An idle session for this next hop younger than {@code limit}, or null. */
    SmtpConnection take(String key, Duration limit, Duration quitTimeout) {
        Deque<Idle> q = idle.get(key);
        if (q == null) return null;
        Idle i;
        while ((i = q.pollFirst()) != null) {
            SmtpConnection c = i.connection();
            if (System.nanoTime() - i.sinceNanos() <= limit.toNanos() && !c.isClosed() && !c.hasUnsolicitedInput()) {
                return c;
            }
            c.quit(quitTimeout);
        }
        return null;
    }

    void put(String key, SmtpConnection c, Duration limit, Duration quitTimeout) {
        Idle entry = new Idle(c, System.nanoTime());
        idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addFirst(entry);
        try {
            timer.schedule(() -> evict(key, entry, quitTimeout), limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            evict(key, entry, quitTimeout);
        }
    }

    private void evict(String key, Idle entry, Duration quitTimeout) {
        Deque<Idle> q = idle.get(key);
        if (q != null && q.remove(entry)) entry.connection().quit(quitTimeout);
    }

    /** Number of idle sessions, for tests. */
    int size() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    void closeAll(Duration quitTimeout) {
        for (Deque<Idle> q : idle.values()) {
            Idle i;
            while ((i = q.pollFirst()) != null) i.connection().quit(quitTimeout);
        }
    }
}
