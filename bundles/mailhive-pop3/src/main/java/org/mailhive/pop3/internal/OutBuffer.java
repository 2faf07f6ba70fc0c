package org.mailhive.pop3.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.ObjIntConsumer;

/**
 * Output collected for one write. Pipelined commands and small messages share a buffer, so
 * a client that asks for 5,000 small messages gets large writes, not 10,000 small ones.
 */
final class OutBuffer {

    private static final int INITIAL = 4096;

    private byte[] bytes;
    private int size;

    OutBuffer() {
        bytes = new byte[INITIAL];
    }

    void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    void put(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
    }

    void put(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        put(b, 0, b.length);
    }

    int size() {
        return size;
    }

    /** Hands the bytes to {@code sink}, which keeps the array, and starts a fresh buffer. */
    void handOver(ObjIntConsumer<byte[]> sink) {
        if (size == 0) return;
        byte[] full = bytes;
        int n = size;
        // a large write (a message) suggests more of them; replies alone need little room
        bytes = new byte[n > INITIAL ? Math.min(full.length, 128 << 10) : INITIAL];
        size = 0;
        sink.accept(full, n);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
}
