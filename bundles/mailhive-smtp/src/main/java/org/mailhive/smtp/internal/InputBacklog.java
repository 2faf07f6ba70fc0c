package org.mailhive.smtp.internal;

/**
 * Bytes read from one client but not yet processed by its worker. Past {@code high} the socket
 * stops reading (TCP then slows the client down); at {@code low} it reads again. Suspending and
 * resuming happen under the same lock as the counting so that a resume cannot be lost.
 */
final class InputBacklog {

    /** Switches reading of one connection; must not block. */
    interface ReadSwitch {
        void suspend();

        void resume();
    }

    static final long HIGH = 1L << 20;
    static final long LOW = 256L << 10;

    private final long high;
    private final long low;
    private final ReadSwitch reads;
    private long pending;
    private boolean suspended;

    InputBacklog(long high, long low, ReadSwitch reads) {
        this.high = high;
        this.low = low;
        this.reads = reads;
    }

    /** Called on the I/O thread when bytes arrive. */
    synchronized void received(long n) {
        pending += n;
        if (pending > high && !suspended) {
            suspended = true;
            reads.suspend();
        }
    }

    /** Called by the worker when it has processed bytes. */
    synchronized void processed(long n) {
        pending -= n;
        if (suspended && pending <= low) {
            suspended = false;
            reads.resume();
        }
    }

    synchronized boolean suspended() {
        return suspended;
    }
}
