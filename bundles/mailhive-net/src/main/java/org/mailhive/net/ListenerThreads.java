package org.mailhive.net;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoEventType;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;

/**
 * The threads of one listener, kept across rebinds: ordered workers (one session's events never
 * run concurrently) named {@code prefix-N}, and one timer {@code prefix-timer-N} for delayed
 * replies, so that no worker sleeps.
 */
public final class ListenerThreads {

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorFilter workers;

    /** @param prefix e.g. "smtpd-mta"; the pool grows on demand up to {@code maxWorkers} */
    public ListenerThreads(String prefix, int maxWorkers) {
        scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads(prefix + "-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        // MINA's default set minus MESSAGE_SENT: no handler acts on it (output drained comes as our own
        // wakeup), and handing it to a worker cost a thread wake-up per reply — the larger part of a
        // POP3 RETR's round trip when the client waits for each answer
        workers = new ExecutorFilter(new OrderedThreadPoolExecutor(0, maxWorkers, 60, TimeUnit.SECONDS,
                daemonThreads(prefix)), IoEventType.EXCEPTION_CAUGHT, IoEventType.MESSAGE_RECEIVED,
                IoEventType.SESSION_CLOSED, IoEventType.SESSION_IDLE, IoEventType.SESSION_OPENED);
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The filter to put in each endpoint's chain. */
    public ExecutorFilter workers() {
        return workers;
    }

    /** Applies a changed worker limit; threads above it end when idle. */
    public void setMaxWorkers(int max) {
        ((ThreadPoolExecutor) workers.getExecutor()).setMaximumPoolSize(max);
    }

    /**
     * Runs {@code task} after {@code delay} on the timer. When the listener is shutting down the
     * task is refused and the session is closed instead: it goes with the listener.
     */
    public void later(IoSession session, Duration delay, Runnable task) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            session.closeNow();
        }
    }

    /** Lets running work finish (up to 10 s, then interrupts it) and stops the timer. */
    public void close() {
        ExecutorService pool = (ExecutorService) workers.getExecutor();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
