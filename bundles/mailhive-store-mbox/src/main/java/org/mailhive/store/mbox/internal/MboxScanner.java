package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Finds the messages of an mbox file in one streaming pass. A From_ line is a line starting with
 * {@code "From "} at the start of the region or after an empty line; the empty line before it
 * (and the one at the end of the file) separates messages and belongs to none.
 */
final class MboxScanner {

    private final ZoneId zone;
    private final Instant fallbackDate;
    private final List<ParsedMessage> found = new ArrayList<>();

    // the message being read
    private boolean open;
    private long fromOffset;
    private long headerOffset;
    private String fromLine;
    private boolean inFromLine;
    private HeaderFilter headers;
    private long size;
    private Set<String> flags;
    private String messageId;
    // the last line, so that it can be taken back when it turns out to be a separator
    private boolean lastBlank;
    private long lastLineSize;
    private int lastLineBytes;

    private MboxScanner(ZoneId zone, Instant fallbackDate) {
        this.zone = zone;
        this.fallbackDate = fallbackDate;
    }

    /** Scans bytes {@code [from, to)} of the file; {@code from} must be 0 or the offset of a From_ line. */
    static List<ParsedMessage> scan(FileChannel ch, long from, long to, ZoneId zone, Instant fallbackDate)
            throws IOException {
        MboxScanner s = new MboxScanner(zone, fallbackDate);
        try (InputStream in = new ChannelRegionStream(ch, from, to)) {
            s.run(new LineReader(in, from, MboxWriter.BUFFER), to);
        }
        return s.found;
    }

    private void run(LineReader r, long to) throws IOException {
        boolean prevBlank = true;
        while (r.next()) {
            if (r.lineStart() && prevBlank && r.startsWith("From ")) {
                if (open) close(r.offset(), true);
                startMessage(r);
            } else if (inFromLine) {
                // the rest of an overlong From_ line
            } else if (open) {
                line(r);
            }
            if (inFromLine && r.endsLine()) {
                inFromLine = false;
                headerOffset = r.offset() + r.length();
            }
            if (r.endsLine()) prevBlank = r.blankLine();
            else if (r.lineStart()) prevBlank = false;
        }
        if (open) close(to, lastBlank);
    }

    private void startMessage(LineReader r) {
        open = true;
        fromOffset = r.offset();
        fromLine = r.text(1000);
        inFromLine = !r.endsLine();
        headerOffset = r.offset() + r.length();
        headers = new HeaderFilter();
        size = 0;
        flags = MboxFormat.newFlagSet();
        messageId = "";
        lastBlank = false;
        lastLineSize = 0;
        lastLineBytes = 0;
    }

    private void line(LineReader r) {
        HeaderFilter.Kind kind = headers.classify(r);
        long contribution = 0;
        if (kind == HeaderFilter.Kind.META) {
            if (r.lineStart()) MboxFormat.parseMetaHeader(r.text(2000), flags);
        } else {
            contribution = r.contentLength() + (r.endsLine() ? 2 : 0);
            if (r.lineStart() && MboxFormat.isQuotedFrom(r.buffer(), r.start(), r.length())) contribution--;
            if (kind == HeaderFilter.Kind.HEADER && r.lineStart() && messageId.isEmpty() && r.startsWith("Message-")) {
                String t = r.text(1000);
                if (t.regionMatches(true, 0, "Message-ID:", 0, 11)) messageId = t.substring(11).trim();
            }
        }
        size += contribution;
        if (r.lineStart()) {
            lastLineSize = contribution;
            lastLineBytes = r.length();
        } else {
            lastLineSize += contribution;
            lastLineBytes += r.length();
        }
        lastBlank = r.blankLine();
    }

    /** Ends the message before {@code end}; a trailing empty line is the separator, not content. */
    private void close(long end, boolean dropLastLine) {
        long endOffset = end;
        long msgSize = size;
        if (dropLastLine && lastBlank) {
            endOffset -= lastLineBytes;
            msgSize -= lastLineSize;
        }
        endOffset = Math.max(endOffset, headerOffset);
        Instant date = MboxFormat.fromLineDate(fromLine, zone);
        found.add(new ParsedMessage(fromOffset, headerOffset, endOffset, msgSize, flags,
                date == null ? fallbackDate : date, fingerprint(fromLine, messageId, msgSize)));
        open = false;
    }

    /** Identifies a message whatever its offset and flags: From_ line, Message-ID and size. */
    static String fingerprint(String fromLine, String messageId, long size) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((fromLine + "\n" + messageId + "\n" + size).getBytes(StandardCharsets.UTF_8));
            byte[] d = md.digest();
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
