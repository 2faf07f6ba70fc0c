package org.mailhive.smtp.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed AUTH attempts per client address within a sliding window, across the sessions of one
 * listener, so that a client which reconnects after each 421 still meets the limit.
 */
final class AuthFailures {

    static final Duration WINDOW = Duration.ofMinutes(10);
    /** Addresses remembered at most; past it the stalest are forgotten (bounded memory under a spray). */
    static final int MAX_CLIENTS = 10_000;

    private final Map<InetAddress, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long windowNanos;

    AuthFailures() {
        this(System::nanoTime, WINDOW);
    }

    AuthFailures(LongSupplier nanoClock, Duration window) {
        this.clock = nanoClock;
        this.windowNanos = window.toNanos();
    }

    void failed(InetAddress client) {
        long now = clock.getAsLong();
        if (failures.size() >= MAX_CLIENTS) prune(now);
        Deque<Long> times = failures.computeIfAbsent(client, c -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            times.addLast(now);
        }
    }

    /** Failures of this client within the window. */
    int recent(InetAddress client) {
        Deque<Long> times = failures.get(client);
        if (times == null) return 0;
        synchronized (times) {
            expire(times, clock.getAsLong());
            return times.size();
        }
    }

    private void expire(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() > windowNanos) times.removeFirst();
    }

    private void prune(long now) {
        for (Iterator<Map.Entry<InetAddress, Deque<Long>>> it = failures.entrySet().iterator(); it.hasNext();) {
            Deque<Long> times = it.next().getValue();
            synchronized (times) {
                expire(times, now);
                if (times.isEmpty()) it.remove();
            }
        }
        if (failures.size() >= MAX_CLIENTS) failures.clear();
    }
}
