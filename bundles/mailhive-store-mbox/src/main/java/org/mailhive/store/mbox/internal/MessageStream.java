package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * One message as clients see it: the bytes after the From_ line with one level of
 * {@code >From} quoting removed, meta headers hidden and LF turned into CRLF.
 */
final class MessageStream extends InputStream {

    private final LineReader lines;
    private final HeaderFilter headers = new HeaderFilter();
    private final AutoCloseable onClose;
    private byte[] chunk;
    private int chunkPos;
    private int chunkEnd;
    private boolean crlfPending;
    private boolean done;
    private boolean closed;

    MessageStream(InputStream region, long offset, AutoCloseable onClose) {
        this.lines = new LineReader(region, offset, MboxWriter.BUFFER);
        this.onClose = onClose;
    }

    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        if (len == 0) return 0;
        int n = 0;
        while (n < len) {
            if (chunkPos < chunkEnd) {
                int k = Math.min(len - n, chunkEnd - chunkPos);
                System.arraycopy(chunk, chunkPos, b, off + n, k);
                chunkPos += k;
                n += k;
            } else if (crlfPending) {
                // the line ending goes out in two steps so the chunk can stay the reader's buffer
                chunk = CRLF;
                chunkPos = 0;
                chunkEnd = 2;
                crlfPending = false;
            } else if (!advance()) {
                break;
            }
        }
        return n == 0 ? -1 : n;
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private boolean advance() throws IOException {
        while (!done) {
            if (!lines.next()) {
                done = true;
                return false;
            }
            if (headers.classify(lines) == HeaderFilter.Kind.META) continue;
            int start = lines.start();
            int len = lines.contentLength();
            if (lines.lineStart() && MboxFormat.isQuotedFrom(lines.buffer(), start, lines.length())) {
                start++;
                len--;
            }
            chunk = lines.buffer();
            chunkPos = start;
            chunkEnd = start + len;
            crlfPending = lines.endsLine();
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            onClose.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
