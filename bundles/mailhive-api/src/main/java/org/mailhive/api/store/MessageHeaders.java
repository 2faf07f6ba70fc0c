package org.mailhive.api.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header section of one message as IMAP FETCH and listings need it: the raw bytes (CRLF line
 * endings, from the first byte up to and including the empty line that ends the header), the
 * fields unfolded as RFC 5322 says (the CRLF before folding white space removed), and the IMAP
 * ENVELOPE parts. Immutable; the fields are parsed on first use, so a caller that only wants the
 * bytes (BODY[HEADER]) pays no parsing.
 * <p>
 * A header section longer than {@link #MAX_SIZE} is cut after the last complete line within the
 * limit and {@link #truncated()} is true: fields past the cut are missing, and a caller that must
 * return the whole header (BODY[HEADER]) has to stream {@link Folder#open} instead.
 */
public final class MessageHeaders {

    /** The most header bytes read for one message: 256 KiB, far beyond any real header section. */
    public static final int MAX_SIZE = 256 * 1024;

    /** One header field: its name as written, its value unfolded and without the leading white space. */
    public record Field(String name, String value) {
    }

    private static final int CHUNK = 8 * 1024;
    private static final int CRLF = 0x0d0a;
    private static final int CRLF_CRLF = 0x0d0a0d0a;

    private final byte[] raw;
    private final boolean truncated;
    private volatile List<Field> fields;

    private MessageHeaders(byte[] raw, boolean truncated) {
        this.raw = raw;
        this.truncated = truncated;
    }

    /**
     * Wraps header bytes already cut at the end of the header (as {@link #read} returns them, e.g.
     * from a cache); the array is copied.
     */
    public static MessageHeaders of(byte[] raw, boolean truncated) {
        return new MessageHeaders(raw.clone(), truncated);
    }

    /**
     * Reads a message (CRLF line endings) up to the end of its header section and no further than
     * one read chunk (8 KiB) past it: the body is never read through. The caller closes the stream.
     */
    public static MessageHeaders read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        byte[] buf = new byte[CHUNK];
        int last4 = 0;
        long total = 0;
        long lastLineEnd = 0;
        int n;
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, MAX_SIZE + 1L - total))) > 0) {
            for (int i = 0; i < n; i++) {
                last4 = (last4 << 8) | (buf[i] & 0xff);
                if ((last4 & 0xffff) != CRLF) continue;
                long pos = total + i;
                lastLineEnd = pos + 1;
                // the empty line: CRLF at the very start, or CRLF right after CRLF
                if (pos == 1 || last4 == CRLF_CRLF) {
                    out.write(buf, 0, i + 1);
                    return new MessageHeaders(out.toByteArray(), false);
                }
            }
            out.write(buf, 0, n);
            total += n;
            if (total > MAX_SIZE) {
                // cut after the last complete line, so that no field is reported half
                return new MessageHeaders(Arrays.copyOf(out.toByteArray(), (int) lastLineEnd), true);
            }
        }
        // no empty line: the whole message is header (legal, e.g. a message without a body)
        return new MessageHeaders(out.toByteArray(), false);
    }

    /** The header bytes, CRLF line endings, including the empty line that ends the header when present. */
    public byte[] raw() {
        return raw.clone();
    }

    /** Number of raw header bytes. */
    public int size() {
        return raw.length;
    }

    /** True when the header section was longer than {@link #MAX_SIZE} and was cut. */
    public boolean truncated() {
        return truncated;
    }

    /** Every field in order of appearance; lines that are neither fields nor continuations are skipped. */
    public List<Field> fields() {
        List<Field> f = fields;
        if (f == null) {
            f = List.copyOf(parse(raw));
            fields = f;
        }
        return f;
    }

    /** The value of the first field of this name (case-insensitive), or null when there is none. */
    public String get(String name) {
        for (Field f : fields()) {
            if (f.name().equalsIgnoreCase(name)) return f.value();
        }
        return null;
    }

    /** The values of every field of this name (case-insensitive), in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields()) {
            if (f.name().equalsIgnoreCase(name)) out.add(f.value());
        }
        return out;
    }

    /** The IMAP ENVELOPE parts of this header. */
    public MessageEnvelope envelope() {
        return MessageEnvelope.of(this);
    }

    private static List<Field> parse(byte[] raw) {
        List<Field> out = new ArrayList<>();
        ByteArrayOutputStream current = null;
        int start = 0;
        while (start < raw.length) {
            int end = start;
            while (end < raw.length && raw[end] != '\n') end++;
            int lineEnd = end;
            // the line without its CRLF (or bare LF, or nothing at the end of a cut section)
            if (end < raw.length && lineEnd > start && raw[lineEnd - 1] == '\r') lineEnd--;
            if (lineEnd == start) break;
            byte first = raw[start];
            if (first == ' ' || first == '\t') {
                // unfolding: the line break goes, the white space that starts the continuation stays
                if (current != null) current.write(raw, start, lineEnd - start);
            } else {
                if (current != null) out.add(field(current.toByteArray()));
                current = null;
                int colon = indexOf(raw, start, lineEnd, (byte) ':');
                if (colon > start) {
                    current = new ByteArrayOutputStream(lineEnd - start);
                    current.write(raw, start, lineEnd - start);
                }
            }
            start = end + 1;
        }
        if (current != null) out.add(field(current.toByteArray()));
        return out;
    }

    private static Field field(byte[] line) {
        int colon = indexOf(line, 0, line.length, (byte) ':');
        int nameEnd = colon;
        // obsolete syntax (RFC 5322 4.5) allows white space before the colon
        while (nameEnd > 0 && (line[nameEnd - 1] == ' ' || line[nameEnd - 1] == '\t')) nameEnd--;
        int v = colon + 1;
        while (v < line.length && (line[v] == ' ' || line[v] == '\t')) v++;
        return new Field(decode(line, 0, nameEnd), decode(line, v, line.length - v));
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    /**
     * UTF-8 (RFC 6532) when the bytes are valid UTF-8, else ISO-8859-1: either way no byte is
     * lost, and {@link #raw()} keeps the exact bytes for callers that need them.
     */
    static String decode(byte[] b, int off, int len) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
