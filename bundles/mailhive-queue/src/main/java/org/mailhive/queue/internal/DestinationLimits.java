package org.mailhive.queue.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Deliveries in flight per destination (transport and next hop), as Postfix's
 * default_destination_concurrency_limit. A pass that finds its destination full does not wait:
 * waiting would hold a worker that other destinations could use.
 */
final class DestinationLimits {

    private final Map<String, Integer> inFlight = new HashMap<>();

    synchronized boolean tryAcquire(String destination, int limit) {
        int n = inFlight.getOrDefault(destination, 0);
        if (n >= limit) return false;
        inFlight.put(destination, n + 1);
        return true;
    }

    synchronized void release(String destination) {
        inFlight.computeIfPresent(destination, (k, v) -> v <= 1 ? null : v - 1);
    }

    synchronized int inFlight(String destination) {
        return inFlight.getOrDefault(destination, 0);
    }
}
