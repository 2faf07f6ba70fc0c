package org.mailhive.queue.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one file of a queued message ({@value #NAME}): the envelope as committed, in
 * {@link EnvelopeCodec}'s text form that ends with the line {@code end}, then the message. One
 * file means one fsync per new message instead of two, on the path a client waits on for its
 * 250. The envelope text escapes every line break inside a value, so the first {@code end}
 * line is the end of the envelope whatever a client sent.
 *
 * <p>The delivery state of a message that stays queued is written apart, into {@code envelope}
 * (replaced atomically, see {@link QueueDirectory#replaceEnvelope}), which then counts instead
 * of the embedded one; the message bytes are never rewritten.
 */
final class QueueEntryFile {

    static final String NAME = "entry";
    /** Beyond this the file is not one of ours (an envelope of thousands of recipients is far less). */
    static final int MAX_ENVELOPE = 16 << 20;
    /** "\nend\n" as the last five bytes read. */
    private static final long END = ((long) '\n' << 32) | ((long) 'e' << 24) | ((long) 'n' << 16) | ('d' << 8) | '\n';
    private static final long FIVE_BYTES = (1L << 40) - 1;

    /** The embedded envelope and where the message starts. */
    record Read(QueueFile file, long contentOffset) {
    }

    private QueueEntryFile() {
    }

    static byte[] header(QueueFile f) {
        return EnvelopeCodec.encode(f).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws java.nio.file.NoSuchFileException when there is no such file */
    static Read read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream(512);
            byte[] buf = new byte[4096];
            long window = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    window = ((window << 8) | (buf[i] & 0xff)) & FIVE_BYTES;
                    if (window == END) {
                        text.write(buf, 0, i + 1);
                        return new Read(decode(file, text), text.size());
                    }
                }
                text.write(buf, 0, n);
                if (text.size() > MAX_ENVELOPE) break;
            }
        }
        throw new IOException("no envelope at the start of " + file);
    }

    private static QueueFile decode(Path file, ByteArrayOutputStream text) throws IOException {
        try {
            return EnvelopeCodec.decode(text.toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt envelope in " + file + ": " + e.getMessage(), e);
        }
    }
}
