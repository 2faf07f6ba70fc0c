package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import org.mailhive.api.mail.MessageContent;

/**
 * Writes one message in mboxrd form at the end of an mbox file: From_ line, headers without the
 * sender's own meta headers plus ours, body with {@code >From} quoting, LF line endings and a
 * blank line after it. The caller holds the locks, fsyncs, and truncates back on failure.
 */
final class MboxWriter {

    static final int BUFFER = 64 * 1024;

    private final FileChannel ch;
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER);
    private long position;

    private MboxWriter(FileChannel ch, long position) {
        this.ch = ch;
        this.position = position;
    }

    /**
     * Appends the message at {@code end} (the file's length) and returns the offset of its From_
     * line, which is after {@code end} when a blank separator line had to be added first.
     */
    static long append(FileChannel ch, long end, MessageContent content, Set<String> flags, Instant date,
            ZoneId zone) throws IOException {
        MboxWriter w = new MboxWriter(ch, end);
        w.separate(end);
        long fromOffset = w.position + w.out.position();
        try (InputStream in = content.openStream()) {
            w.message(new LineReader(in, 0, BUFFER), flags, date, zone);
        }
        w.flush();
        return fromOffset;
    }

    /** mboxrd wants an empty line before every From_ line; another program may not have left one. */
    private void separate(long end) throws IOException {
        if (end == 0) return;
        ByteBuffer tail = ByteBuffer.allocate(2);
        long from = Math.max(0, end - 2);
        while (tail.position() < end - from) {
            if (ch.read(tail, from + tail.position()) < 0) break;
        }
        tail.flip();
        boolean lastLf = tail.limit() > 0 && tail.get(tail.limit() - 1) == '\n';
        boolean prevLf = tail.limit() < 2 || tail.get(0) == '\n';
        if (!lastLf) put((byte) '\n');
        if (!(lastLf && prevLf)) put((byte) '\n');
    }

    private void message(LineReader r, Set<String> flags, Instant date, ZoneId zone) throws IOException {
        boolean any = r.next();
        String first = any && r.lineStart() ? r.text(1000) : null;
        put(MboxFormat.fromLine(MboxFormat.senderFrom(first), date, zone));
        byte[] meta = MboxFormat.metaHeaders(flags, false);
        HeaderFilter headers = new HeaderFilter();
        boolean endedLine = true;
        boolean metaWritten = false;
        while (any) {
            HeaderFilter.Kind kind = headers.classify(r);
            if (kind == HeaderFilter.Kind.END_OF_HEADERS && !metaWritten) {
                put(meta);
                metaWritten = true;
            }
            if (kind != HeaderFilter.Kind.META) {
                byte[] b = r.buffer();
                if (r.lineStart() && MboxFormat.isFromLike(b, r.start(), r.length())) put((byte) '>');
                put(b, r.start(), r.contentLength());
                if (r.endsLine()) put((byte) '\n');
                endedLine = r.endsLine();
            }
            any = r.next();
        }
        if (!endedLine) put((byte) '\n');
        if (!metaWritten) put(meta);
        put((byte) '\n');
    }

    private void put(byte b) throws IOException {
        if (!out.hasRemaining()) flush();
        out.put(b);
    }

    private void put(byte[] b) throws IOException {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!out.hasRemaining()) flush();
            int n = Math.min(len, out.remaining());
            out.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            position += ch.write(out, position);
        }
        out.clear();
    }
}
