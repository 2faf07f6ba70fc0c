package org.mailhive.pop3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small messages read ahead of the client's RETRs. Clients (fetchmail, getmail, Thunderbird)
 * fetch message after message, each RETR waiting for the last; with the next messages already in
 * memory, the I/O thread answers a RETR itself ({@link Pop3Session#tryInline}) and the round trip
 * costs no hand-off to a worker. Reading ahead is the worker's job, after it has answered.
 *
 * <p>Bounded per session ({@link #BUDGET}) and for the whole server ({@link #SERVER_BUDGET}), and
 * only messages up to {@link #MAX_MESSAGE}: a large message is streamed as always. What was read
 * is the content as of the read; a message another program removes meanwhile is still served.
 */
final class Prefetch {

    static final int MAX_MESSAGE = 64 << 10;
    static final int BUDGET = 256 << 10;
    static final long SERVER_BUDGET = 32L << 20;

    /** Bytes held by all sessions. */
    private static final AtomicLong SERVER = new AtomicLong();

    private final TreeMap<Integer, byte[]> ready = new TreeMap<>();
    private int bytes;
    /** The next message number to read ahead. */
    private int next = 1;
    private boolean requested;

    /** Reads ahead from the message after {@code after}, dropping what lies at or before it. Worker only. */
    void fill(Maildrop drop, int after) {
        requested = false;
        for (Map.Entry<Integer, byte[]> e; (e = ready.firstEntry()) != null && e.getKey() <= after;) release(e.getKey());
        int k = Math.max(after + 1, next);
        while (k <= drop.size()) {
            if (drop.isDeleted(k)) {
                k++;
                continue;
            }
            long size = drop.message(k).size();
            // a large one is the worker's to stream: reading ahead stops before it
            if (size > MAX_MESSAGE || bytes + size > BUDGET) break;
            if (SERVER.addAndGet(size) > SERVER_BUDGET) {
                SERVER.addAndGet(-size);
                break;
            }
            byte[] b;
            try (InputStream in = drop.open(k)) {
                b = in.readNBytes(MAX_MESSAGE + 1);
            } catch (IOException | RuntimeException e) {
                // the RETR itself will report it, on the worker
                SERVER.addAndGet(-size);
                break;
            }
            SERVER.addAndGet(b.length - size);
            if (b.length > MAX_MESSAGE) {
                SERVER.addAndGet(-b.length);
                break;
            }
            ready.put(k, b);
            bytes += b.length;
            k++;
        }
        next = k;
    }

    /** The message's bytes when they were read ahead (they are handed over, not kept). */
    byte[] take(int n) {
        byte[] b = ready.get(n);
        if (b != null) release(n);
        return b;
    }

    boolean has(int n) {
        return ready.containsKey(n);
    }

    /**
     * Whether the worker should read further now: less than half the budget is left unserved and
     * there is more to read. True once until the next {@link #fill}.
     */
    boolean wantsMore(Maildrop drop) {
        if (requested || bytes >= BUDGET / 2 || next > drop.size()) return false;
        requested = true;
        return true;
    }

    void clear() {
        while (!ready.isEmpty()) release(ready.firstKey());
    }

    private void release(int n) {
        byte[] b = ready.remove(n);
        bytes -= b.length;
        SERVER.addAndGet(-b.length);
    }

    /** Bytes held by all sessions (for tests). */
    static long serverBytes() {
        return SERVER.get();
    }
}
