package org.mailhive.store.mbox.internal;

/**
 * Follows one message's header section segment by segment and says which segments belong to
 * a meta header ({@link MboxFormat#isMetaHeader}) including its folded continuation lines.
 */
final class HeaderFilter {

    enum Kind { HEADER, META, END_OF_HEADERS, BODY }

    private boolean inHeader = true;
    private Kind lineKind = Kind.HEADER;

    /** Classifies the current segment of the reader; call once per segment, in order. */
    Kind classify(LineReader r) {
        if (!r.lineStart()) return lineKind;
        if (!inHeader) {
            lineKind = Kind.BODY;
        } else if (r.blankLine()) {
            inHeader = false;
            lineKind = Kind.END_OF_HEADERS;
        } else {
            byte first = r.buffer()[r.start()];
            if (first == ' ' || first == '\t') {
                // a folded line belongs to the header before it
                if (lineKind != Kind.META) lineKind = Kind.HEADER;
            } else {
                lineKind = isMeta(r) ? Kind.META : Kind.HEADER;
            }
        }
        return lineKind;
    }

    boolean inHeader() {
        return inHeader;
    }

    private static boolean isMeta(LineReader r) {
        byte[] b = r.buffer();
        int end = r.start() + r.contentLength();
        for (int i = r.start(); i < end && i - r.start() < 40; i++) {
            if (b[i] == ':') {
                String name = new String(b, r.start(), i - r.start(), java.nio.charset.StandardCharsets.ISO_8859_1).trim();
                return MboxFormat.isMetaHeader(name);
            }
        }
        return false;
    }
}
