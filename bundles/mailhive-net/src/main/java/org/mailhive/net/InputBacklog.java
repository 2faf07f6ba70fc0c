package org.mailhive.net;

/**
 * Bytes read from one client but not yet processed by its worker. Past {@code high} the socket
 * stops reading (TCP then slows the client down); at {@code low} it reads again. Suspending and
 * resuming happen under the same lock as the counting so that a resume cannot be lost.
 */
public final class InputBacklog {

    /** Switches reading of one connection; must not block. */
    public interface ReadSwitch {
        void suspend();

        void resume();
    }

    /** The default thresholds: 1 MiB waiting stops reading, 256 KiB starts it again. */
    public static final long HIGH = 1L << 20;
    public static final long LOW = 256L << 10;

    private final long high;
    private final long low;
    private final ReadSwitch reads;
    private long pending;
    private boolean suspended;

    public InputBacklog(long high, long low, ReadSwitch reads) {
        if (low > high) throw new IllegalArgumentException("low " + low + " above high " + high);
        this.high = high;
        this.low = low;
        this.reads = reads;
    }

    /** Called on the I/O thread when bytes arrive. */
    public synchronized void received(long n) {
        pending += n;
        if (pending > high && !suspended) {
            suspended = true;
            reads.suspend();
        }
    }

    /** Called by the worker when it has processed bytes. */
    public synchronized void processed(long n) {
        pending -= n;
        if (suspended && pending <= low) {
            suspended = false;
            reads.resume();
        }
    }

    public synchronized boolean suspended() {
        return suspended;
    }
}
