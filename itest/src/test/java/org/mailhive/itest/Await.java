package org.mailhive.itest;

import java.util.concurrent.Callable;

/** Polls a condition until a deadline; the deadline is generous because CI has two cores. */
final class Await {

    static final long DEFAULT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    static void until(String what, Callable<Boolean> condition) throws Exception {
        until(what, DEFAULT_MILLIS, condition);
    }

    static void until(String what, long timeoutMillis, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeoutMillis + " ms: " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
