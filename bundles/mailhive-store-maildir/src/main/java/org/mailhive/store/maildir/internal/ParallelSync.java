package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent fsyncs at the same time: a journaling file system then commits them in one
 * journal transaction instead of one after the other. Returns only when every step ended, so the
 * durability a caller gets is the same as running them in a row.
 */
final class ParallelSync {

    /** One disk step that may run on another thread. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Threads that only wait in fsync; idle ones end, so the bundle has nothing to shut down. */
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, 16, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "mailhive-maildir-fsync-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    /** When every pool thread is busy the step runs on the caller: slower, never refused. */
    private static final Executor EXECUTOR = command -> {
        try {
            POOL.execute(command);
        } catch (RejectedExecutionException e) {
            command.run();
        }
    };

    private ParallelSync() {
    }

    /** Runs the steps together; the first failure is thrown after all of them ended. */
    static void together(List<Step> steps) throws IOException {
        if (steps.isEmpty()) return;
        List<CompletableFuture<Void>> others = new ArrayList<>(steps.size() - 1);
        for (Step s : steps.subList(1, steps.size())) {
            others.add(CompletableFuture.runAsync(() -> {
                try {
                    s.run();
                } catch (IOException e) {
                    throw new StepFailure(e);
                }
            }, EXECUTOR));
        }
        Throwable first = null;
        try {
            steps.get(0).run();
        } catch (IOException | RuntimeException e) {
            first = e;
        }
        boolean interrupted = false;
        for (CompletableFuture<Void> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof StepFailure sf ? sf.getCause() : e.getCause();
                    if (first == null) first = cause;
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (first instanceof IOException io) throw io;
        if (first instanceof RuntimeException re) throw re;
        if (first instanceof Error err) throw err;
        if (first != null) throw new IOException(first);
    }

    /** Carries a step's IOException through the future. */
    private static final class StepFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailure(IOException cause) {
            super(cause);
        }
    }
}
