package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into line segments without ever holding more than one buffer: a line longer
 * than the buffer comes as several segments, only the first of which has {@link #lineStart()}.
 * A CR is never separated from the LF after it, so a segment ending a line ends with LF or CRLF.
 */
final class LineReader {

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private long offset;

    private int segStart;
    private int segLen;
    private long segOffset;
    private boolean segLineStart;
    private boolean segEndsLine;
    private boolean atLineStart = true;

    LineReader(InputStream in, long startOffset, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(bufferSize, 16)];
        this.offset = startOffset;
    }

    /** Advances to the next segment; false at the end of the stream. */
    boolean next() throws IOException {
        int scanFrom = pos;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    emit(i + 1 - pos, true);
                    return true;
                }
            }
            scanFrom = limit;
            if (eof) {
                if (limit == pos) return false;
                emit(limit - pos, false);
                return true;
            }
            if (limit == buf.length) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, limit - pos);
                    limit -= pos;
                    scanFrom -= pos;
                    pos = 0;
                } else {
                    int len = limit - pos;
                    // keep a trailing CR for the next segment: it may be half of a CRLF
                    if (buf[limit - 1] == '\r' && len > 1) len--;
                    emit(len, false);
                    return true;
                }
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }

    private void emit(int len, boolean endsLine) {
        segStart = pos;
        segLen = len;
        segOffset = offset;
        segLineStart = atLineStart;
        segEndsLine = endsLine;
        atLineStart = endsLine;
        pos += len;
        offset += len;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return segStart;
    }

    /** Length of the segment including its line ending, if any. */
    int length() {
        return segLen;
    }

    /** Position of the segment in the source (file offset for a file). */
    long offset() {
        return segOffset;
    }

    boolean lineStart() {
        return segLineStart;
    }

    boolean endsLine() {
        return segEndsLine;
    }

    /** Length without the line ending (LF or CRLF). */
    int contentLength() {
        if (!segEndsLine) return segLen;
        int n = segLen - 1;
        if (n > 0 && buf[segStart + n - 1] == '\r') n--;
        return n;
    }

    /** A whole empty line: just LF or CRLF. */
    boolean blankLine() {
        return segLineStart && segEndsLine && contentLength() == 0;
    }

    boolean startsWith(String ascii) {
        if (segLen < ascii.length()) return false;
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[segStart + i] != ascii.charAt(i)) return false;
        }
        return true;
    }

    /** The segment's content (without line ending) as Latin-1 text, cut at {@code max} chars. */
    String text(int max) {
        return new String(buf, segStart, Math.min(contentLength(), max), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
