package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.io.ParallelSteps;

/**
 * Group commit of one directory's fsync: the entries that concurrent committers renamed into the
 * directory become durable with ONE fsync. A caller renames first and then calls
 * {@link #syncDirectory()}; it returns only after an fsync of the directory that started after the
 * call — so after the caller's rename — has succeeded. That is exactly the guarantee of calling
 * fsync itself: the rename is durable. While one fsync runs, the callers that arrive wait; when it
 * ends, one of them (the leader) fsyncs once for all of them. A failed fsync fails every caller
 * whose rename it was meant to cover (and no one else): each of them must undo its rename and
 * answer 4xx.
 *
 * <p>{@link #together} is the other half: the independent fsyncs of one commit (message file,
 * envelope file, the message's directory) run at the same time, so a journaling file system
 * commits them in one journal transaction instead of three in a row.
 */
final class GroupCommit {

    /**
     * Threads that only wait in fsync: no CPU work, so more of them than cores is right; idle ones
     * end after a few seconds, so nothing needs to shut the pool down when the bundle stops.
     */
    private static final ParallelSteps STEPS = new ParallelSteps("mailhive-queue-fsync", 64);

    /** A caller waiting for the fsync that covers its rename. */
    private static final class Waiter {
        boolean done;
        IOException error;
    }

    private final DiskOps ops;
    private final Path dir;
    private final Object lock = new Object();
    private final List<Waiter> queued = new ArrayList<>();   // guarded by lock
    private boolean syncing;                                // guarded by lock
    private long fsyncs;                                    // guarded by lock

    GroupCommit(DiskOps ops, Path dir) {
        this.ops = ops;
        this.dir = dir;
    }

    /** Returns once the directory's entries as they were at the call are on disk; see the class comment. */
    void syncDirectory() throws IOException {
        Waiter me = new Waiter();
        List<Waiter> batch;
        synchronized (lock) {
            queued.add(me);
            waitWhileSyncing(me);
            if (me.done) {
                outcome(me);
                return;
            }
            // leader: everyone queued now renamed before this fsync starts
            syncing = true;
            batch = new ArrayList<>(queued);
            queued.clear();
        }
        IOException error = null;
        try {
            ops.fsyncDirectory(dir);
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new IOException("fsync of " + dir + " failed: " + e, e);
        }
        synchronized (lock) {
            fsyncs++;
            for (Waiter w : batch) {
                w.done = true;
                w.error = error;
            }
            syncing = false;
            lock.notifyAll();
        }
        outcome(me);
    }

    /** The fsync we wait for happens anyway: an interrupt does not end the wait, it is kept for later. */
    private void waitWhileSyncing(Waiter me) {
        boolean interrupted = false;
        while (!me.done && syncing) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void outcome(Waiter w) throws IOException {
        if (w.error != null) throw new IOException(w.error.getMessage(), w.error);
    }

    /** How many fsyncs of the directory ran (for tests and the benchmark's reasoning). */
    long fsyncs() {
        synchronized (lock) {
            return fsyncs;
        }
    }

    /** Callers now waiting for an fsync (for tests that need a batch to form). */
    int waiting() {
        synchronized (lock) {
            return queued.size();
        }
    }

    /** Runs the steps at the same time; returns (or throws the first failure) when all ended. */
    static void together(List<ParallelSteps.Step> steps) throws IOException {
        STEPS.together(steps);
    }
}
