package org.mailhive.queue.internal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.mailhive.api.mail.MailAddress;

/**
 * Copies a locally submitted message into the maildrop with CRLF line ends, streaming the body,
 * and looks at the header on the way: {@code -t} takes recipients from To/Cc/Bcc (the Resent-
 * ones when the message is being resent), and Bcc lines never reach the copy that is delivered.
 * Without {@code -i} a line holding a single dot ends the message, as sendmail does.
 */
final class SubmissionReader {

    /** Header bytes held for -t; a longer header is passed on untouched from there. */
    static final int HEADER_LIMIT = 1 << 20;
    /** Longest piece of a line held at once; longer lines are copied in pieces. */
    private static final int CHUNK = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    /** What was seen: recipients from the header (when asked) and the bytes written. */
    record Result(List<MailAddress> headerRecipients, long size, boolean eightBit) {
    }

    private final InputStream in;
    private final boolean ignoreDots;
    private final byte[] buf = new byte[CHUNK];
    private int len;
    private boolean lineEnded;
    private boolean eof;
    private boolean eightBit;

    private final boolean smtp;

    SubmissionReader(InputStream in, boolean ignoreDots) {
        this(in, ignoreDots, false);
    }

    /** {@code smtp}: the DATA of an SMTP session — a dot line ends it and leading dots are unstuffed. */
    SubmissionReader(InputStream in, boolean ignoreDots, boolean smtp) {
        this.in = in;
        this.ignoreDots = ignoreDots && !smtp;
        this.smtp = smtp;
    }

    /** A header field as read: its lines without line ends. */
    private record Field(String name, List<byte[]> lines) {
    }

    Result copy(OutputStream out, boolean extract) throws IOException {
        long size = 0;
        List<Field> header = new ArrayList<>();
        int headerBytes = 0;
        boolean first = true;
        byte[] pending = null;   // the first line after the header, when it was not blank
        boolean terminated = false;
        while (true) {
            if (!readLine()) {
                terminated = true;
                break;
            }
            byte[] line = java.util.Arrays.copyOf(buf, len);
            if (!lineEnded) {
                // a header line longer than a chunk is no header line: body from here
                pending = line;
                break;
            }
            if (first && startsWith(line, "From ")) {
                first = false;
                continue; // an mbox envelope line from a tool that saves and resends mail
            }
            first = false;
            if (line.length == 0) break;
            if ((line[0] == ' ' || line[0] == '\t') && !header.isEmpty()) {
                header.get(header.size() - 1).lines().add(line);
            } else {
                String name = fieldName(line);
                if (name == null) {
                    pending = line;
                    break;
                }
                List<byte[]> lines = new ArrayList<>();
                lines.add(line);
                header.add(new Field(name, lines));
            }
            headerBytes += line.length + 2;
            if (headerBytes > HEADER_LIMIT) break;
        }
        boolean resent = header.stream().anyMatch(f -> f.name().startsWith("resent-")
                && (f.name().equals("resent-to") || f.name().equals("resent-cc") || f.name().equals("resent-bcc")));
        List<MailAddress> rcpts = new ArrayList<>();
        for (Field f : header) {
            boolean bcc = f.name().equals("bcc") || f.name().equals("resent-bcc");
            if (extract && isRecipientField(f.name(), resent)) rcpts.addAll(addresses(unfold(f)));
            if (bcc) continue;
            for (byte[] l : f.lines()) {
                out.write(l);
                out.write(CRLF);
                size += l.length + 2;
            }
        }
        if (terminated) return new Result(rcpts, size, eightBit);
        // the blank line between header and body; supplied when the body began without one
        out.write(CRLF);
        size += 2;
        if (pending != null) {
            out.write(pending);
            size += pending.length;
            if (lineEnded) {
                out.write(CRLF);
                size += 2;
            }
        }
        while (readLine()) {
            out.write(buf, 0, len);
            size += len;
            if (lineEnded) {
                out.write(CRLF);
                size += 2;
            }
        }
        return new Result(rcpts, size, eightBit);
    }

    private static boolean isRecipientField(String name, boolean resent) {
        if (resent) return name.equals("resent-to") || name.equals("resent-cc") || name.equals("resent-bcc");
        return name.equals("to") || name.equals("cc") || name.equals("bcc");
    }

    /**
     * Reads the next line (or the next piece of an overlong one) into {@code buf}; false at the end
     * of input or at the terminating dot line. A CR before LF is dropped, a lone CR is kept.
     */
    private boolean readLine() throws IOException {
        if (eof) return false;
        len = 0;
        boolean lineStart = lineEnded || !startedAny;
        startedAny = true;
        while (len < CHUNK) {
            int c = in.read();
            if (c < 0) {
                eof = true;
                lineEnded = true;
                if (len == 0) return false;
                break;
            }
            if (c == '\n') {
                if (len > 0 && buf[len - 1] == '\r') len--;
                lineEnded = true;
                if (!ignoreDots && lineStart && len == 1 && buf[0] == '.') {
                    eof = true;
                    return false;
                }
                unstuff(lineStart);
                return true;
            }
            if (c >= 0x80) eightBit = true;
            buf[len++] = (byte) c;
        }
        if (!eof) lineEnded = false;
        unstuff(lineStart);
        return true;
    }

    /** RFC 5321 section 4.5.2: the client doubled a leading dot; take one away. */
    private void unstuff(boolean lineStart) {
        if (smtp && lineStart && len > 0 && buf[0] == '.') {
            System.arraycopy(buf, 1, buf, 0, len - 1);
            len--;
        }
    }

    private boolean startedAny;

    private static boolean startsWith(byte[] line, String prefix) {
        if (line.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) return false;
        }
        return true;
    }

    /** The lower-case field name when the line starts a header field, else null. */
    static String fieldName(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            byte b = line[i];
            if (b == ':') return i == 0 ? null : new String(line, 0, i, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            if (b <= 32 || b >= 127) return null;
        }
        return null;
    }

    private static String unfold(Field f) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        boolean firstLine = true;
        for (byte[] l : f.lines()) {
            if (firstLine) {
                int colon = indexOf(l, (byte) ':');
                b.write(l, colon + 1, l.length - colon - 1);
                firstLine = false;
            } else {
                b.write(l, 0, l.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] a, byte x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) return i;
        }
        return -1;
    }

    /**
     * The mailboxes of an address list ({@code "Alice" <alice@example.org>, team: bob, carol;}),
     * parsed by Mime4j; an address without a domain is kept unqualified for pickup to complete.
     */
    static List<MailAddress> addresses(String list) {
        List<MailAddress> out = new ArrayList<>();
        AddressList parsed = LenientAddressParser.DEFAULT.parseAddressList(list);
        for (Mailbox m : parsed.flatten()) {
            String local = m.getLocalPart();
            if (local == null || local.isEmpty()) continue;
            String domain = m.getDomain();
            out.add(MailAddress.of(local, domain == null ? "" : domain));
        }
        return out;
    }
}
