package org.mailhive.smtp.client.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;

/**
 * What one session received, handed from MINA's I/O thread to the delivering thread: reply
 * lines in order, then at most one end marker (closed, failed) — plus the TLS-established signal.
 * The I/O thread only splits lines and enqueues; it never waits for the reader.
 */
final class Inbox {

    static final AttributeKey KEY = new AttributeKey(Inbox.class, "inbox");

    /** Longest reply line accepted; RFC 5321 says 512, real servers send more. */
    static final int MAX_LINE = 8192;
    /** Unread lines beyond this mean a server talking without being asked: the session ends. */
    static final int MAX_QUEUED_LINES = 10_000;

    enum Signal { CLOSED, SECURED }

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(128);
    private boolean overflow;

    /** Called on the I/O thread with the bytes just read (decrypted when TLS is on). */
    synchronized void received(IoBuffer buffer) {
        if (overflow) return;
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                byte[] bytes = partial.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                items.add(new String(bytes, 0, len, StandardCharsets.UTF_8));
                partial.reset();
                if (items.size() > MAX_QUEUED_LINES) {
                    fail(new SmtpConnection.ProtocolException("server sent too many lines"));
                    return;
                }
            } else if (partial.size() >= MAX_LINE) {
                fail(new SmtpConnection.ProtocolException("server reply line too long"));
                return;
            } else {
                partial.write(b);
            }
        }
    }

    private void fail(Throwable t) {
        overflow = true;
        items.add(t);
    }

    void failed(Throwable t) {
        items.add(t);
    }

    void closed() {
        items.add(Signal.CLOSED);
    }

    void secured() {
        items.add(Signal.SECURED);
    }

    /** Next line or signal, or null when nothing came before the deadline. */
    Object take(long deadlineNanos) throws InterruptedException {
        long wait = deadlineNanos - System.nanoTime();
        return wait <= 0 ? items.poll() : items.poll(wait, TimeUnit.NANOSECONDS);
    }

    /** Anything received and not read yet, even a partial line or the end of the session. */
    synchronized boolean hasPending() {
        return !items.isEmpty() || partial.size() > 0;
    }

    /** Bytes from the server not read yet; a close or failure does not count. */
    synchronized boolean hasPendingData() {
        return partial.size() > 0 || items.stream().anyMatch(i -> i instanceof String);
    }
}
