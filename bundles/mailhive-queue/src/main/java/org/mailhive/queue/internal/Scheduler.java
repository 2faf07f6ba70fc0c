package org.mailhive.queue.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which messages of {@code incoming/} are worked on, at most {@code window} at a time.
 * Only ids are held in memory, never more than the window: when it is full the message just
 * stays in {@code incoming/} and a later bounded scan of the directory picks it up, oldest first.
 * That scan reads the whole directory, so it runs when half the window has drained, not after
 * every delivery: with a backlog of n messages the scans cost O(n) per half window, not per message.
 */
final class Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final QueueDirectory dirs;
    private final Consumer<String> delivery;
    private final Executor executor;
    private volatile int window;

    private final Set<String> scheduled = new HashSet<>();   // guarded by this
    private boolean backlog;                                  // guarded by this
    private boolean scanning;                                 // guarded by this
    private boolean rescan;                                   // guarded by this

    Scheduler(QueueDirectory dirs, Executor executor, int window, Consumer<String> delivery) {
        this.dirs = dirs;
        this.executor = executor;
        this.window = window;
        this.delivery = delivery;
    }

    void setWindow(int window) {
        this.window = window;
    }

    /** A message that is in incoming/ now: work on it when the window has room. */
    void offer(String id) {
        synchronized (this) {
            if (scheduled.contains(id)) return;
            if (scheduled.size() >= window) {
                backlog = true;
                return;
            }
            scheduled.add(id);
        }
        submit(id);
    }

    /** Fills the window from incoming/, oldest first. */
    void refill() {
        int room;
        Set<String> busy;
        synchronized (this) {
            if (scanning) {
                rescan = true;
                return;
            }
            scanning = true;
            backlog = false;
            room = window - scheduled.size();
            busy = Set.copyOf(scheduled);
        }
        try {
            while (true) {
                // one more than the room tells whether anything is left behind
                List<String> ids = dirs.oldest(dirs.incoming, Math.max(room, 0) + 1, busy::contains);
                List<String> taken = ids.subList(0, Math.min(ids.size(), Math.max(room, 0)));
                synchronized (this) {
                    for (String id : taken) scheduled.add(id);
                    if (ids.size() > taken.size()) backlog = true;
                }
                for (String id : taken) submit(id);
                synchronized (this) {
                    if (!rescan) {
                        scanning = false;
                        notifyAll();
                        return;
                    }
                    rescan = false;
                    backlog = false;
                    room = window - scheduled.size();
                    busy = Set.copyOf(scheduled);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot scan {}: {}", dirs.incoming, e.toString());
            synchronized (this) {
                scanning = false;
                rescan = false;
                backlog = true;
                notifyAll();
            }
        }
    }

    private void submit(String id) {
        try {
            executor.execute(() -> run(id));
        } catch (RuntimeException e) {
            // executor shut down: the message stays in incoming/ for the next start
            synchronized (this) {
                scheduled.remove(id);
                notifyAll();
            }
        }
    }

    private void run(String id) {
        try {
            delivery.accept(id);
        } catch (RuntimeException e) {
            LOG.error("{}: delivery pass failed", id, e);
        } finally {
            boolean refill;
            synchronized (this) {
                scheduled.remove(id);
                // scan again only when half the window is free: a scan of a large incoming/
                // then takes many messages, instead of one per finished delivery
                refill = backlog && scheduled.size() <= window / 2;
                notifyAll();
            }
            if (refill) refill();
        }
    }

    synchronized int scheduledCount() {
        return scheduled.size();
    }

    synchronized boolean idle() {
        return scheduled.isEmpty() && !scanning && !backlog;
    }

    /** Waits until nothing is scheduled or being scanned; false on timeout. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!idle()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
