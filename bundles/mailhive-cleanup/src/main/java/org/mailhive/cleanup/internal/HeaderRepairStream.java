package org.mailhive.cleanup.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Streams a message through while repairing its header: writes {@code prefix} (the Received
 * header) first, passes the header lines unchanged, and where the header section ends adds
 * what {@code additions} returns for the header names seen. Only the current header line is
 * held, and the header section is examined for at most {@code headerLimit} bytes; past that,
 * or after the header, bytes go straight through.
 */
final class HeaderRepairStream extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_ID_LENGTH = 998;

    private final OutputStream out;
    private final long headerLimit;
    private final byte[] prefix;
    private final Function<Set<String>, byte[]> additions;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final Set<String> seen = new HashSet<>();
    private boolean prefixWritten;
    private boolean inHeader = true;
    private boolean lastWasField;
    private boolean capturingId;
    private long headerBytes;
    private int lastByte = '\n';
    private StringBuilder messageId;
    private boolean finished;

    HeaderRepairStream(OutputStream out, long headerLimit, byte[] prefix, Function<Set<String>, byte[]> additions) {
        this.out = out;
        this.headerLimit = headerLimit;
        this.prefix = prefix.clone();
        this.additions = additions;
    }

    /** The Message-ID the message brought along, or null. */
    String messageId() {
        return messageId == null ? null : messageId.toString().trim();
    }

    @Override
    public void write(int b) throws IOException {
        if (inHeader) {
            headerByte((byte) b);
        } else {
            out.write(b);
            lastByte = b & 0xff;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (inHeader && i < end) headerByte(b[i++]);
        if (i < end) {
            out.write(b, i, end - i);
            lastByte = b[end - 1] & 0xff;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Ends the message: completes a header section that never ended and a last line without CRLF. */
    void finish() throws IOException {
        if (finished) return;
        finished = true;
        writePrefix();
        if (inHeader && line.size() > 0) {
            line.write(CRLF);
            completeLine();
        }
        if (inHeader) {
            endHeader(false);
            inHeader = false;
        } else if (lastByte != '\n') {
            out.write(CRLF);
        }
        out.flush();
    }

    /** Only flushes: the draft, not the writer, decides when the message is complete. */
    @Override
    public void close() throws IOException {
        flush();
    }

    private void headerByte(byte b) throws IOException {
        writePrefix();
        line.write(b);
        headerBytes++;
        if (b == '\n') completeLine();
        if (inHeader && headerBytes > headerLimit) {
            // too much header to examine: add what is missing here, pass the rest on untouched
            endHeader(false);
            inHeader = false;
            if (line.size() > 0) {
                byte[] partial = line.toByteArray();
                line.reset();
                out.write(partial);
                lastByte = partial[partial.length - 1] & 0xff;
            }
        }
    }

    private void completeLine() throws IOException {
        byte[] l = line.toByteArray();
        line.reset();
        if (isBlank(l)) {
            endHeader(false);
            inHeader = false;
            out.write(l);
            return;
        }
        if ((l[0] == ' ' || l[0] == '\t') && lastWasField) {
            if (capturingId) appendId(l, 0);
            out.write(l);
            return;
        }
        int colon = fieldNameEnd(l);
        if (colon < 0) {
            // body text without the empty separator line: the header ends before it
            endHeader(true);
            inHeader = false;
            out.write(l);
            return;
        }
        String name = new String(l, 0, colon, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
        seen.add(name);
        lastWasField = true;
        capturingId = name.equals("message-id") && messageId == null;
        if (capturingId) {
            messageId = new StringBuilder();
            appendId(l, colon + 1);
        }
        out.write(l);
    }

    private void endHeader(boolean separator) throws IOException {
        out.write(additions.apply(Set.copyOf(seen)));
        if (separator) out.write(CRLF);
        lastByte = '\n';
    }

    private void writePrefix() throws IOException {
        if (prefixWritten) return;
        prefixWritten = true;
        out.write(prefix);
    }

    private void appendId(byte[] l, int from) {
        String part = new String(l, from, l.length - from, StandardCharsets.UTF_8).strip();
        if (messageId.length() + part.length() > MAX_ID_LENGTH) return;
        if (messageId.length() > 0 && !part.isEmpty()) messageId.append(' ');
        messageId.append(part);
    }

    private static boolean isBlank(byte[] l) {
        return (l.length == 2 && l[0] == '\r' && l[1] == '\n') || (l.length == 1 && l[0] == '\n');
    }

    /** Index of the colon ending a field name (RFC 5322 ftext, WSP allowed before the colon), or -1. */
    private static int fieldNameEnd(byte[] l) {
        int i = 0;
        while (i < l.length && l[i] >= 33 && l[i] <= 126 && l[i] != ':') i++;
        if (i == 0) return -1;
        while (i < l.length && (l[i] == ' ' || l[i] == '\t')) i++;
        if (i < l.length && l[i] == ':') return i;
        return -1;
    }
}
