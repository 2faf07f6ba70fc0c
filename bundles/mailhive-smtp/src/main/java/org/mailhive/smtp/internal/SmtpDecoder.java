package org.mailhive.smtp.internal;

import java.nio.charset.StandardCharsets;
import org.mailhive.api.mail.SmtpReply;

/**
 * The SMTP input parser, a pure state machine over bytes: in command mode it yields lines, in
 * DATA mode it yields unstuffed message bytes in chunks until the end marker. The caller
 * switches to DATA mode from inside {@link Handler#commandLine} so that bytes pipelined after
 * the DATA command are decoded in the right mode.
 */
final class SmtpDecoder {

    /** Receives what the decoder found, in input order. */
    interface Handler {
        void commandLine(String line);

        void commandError(SmtpReply reply);

        void dataChunk(byte[] bytes, int offset, int length);

        /** Called once when the message grows past the limit; no chunk follows. */
        void dataLimitExceeded();

        void dataEnd(DataSummary summary);

        /** The counted octets of a BDAT chunk have all been passed to {@link #dataChunk}. */
        void chunkEnd();
    }

    /** What the DATA phase saw: unstuffed size and the problems that decide the reply. */
    record DataSummary(long size, boolean limitExceeded, boolean bareLineEnding) {
    }

    private enum DataState { LINE_START, MID_LINE, CR, DOT, DOT_CR }

    private final int lineLimit;
    private final byte[] line;
    private int lineLength;
    private boolean discarding;
    private boolean sawNul;

    private boolean dataMode;
    /** Octets of the current BDAT chunk still to come; -1 outside a chunk. */
    private long chunkRemaining = -1;
    private boolean stopRequested;
    private DataState state;
    private long dataLimit;
    private long dataSize;
    private boolean exceeded;
    private boolean bareLineEnding;

    /** @param lineLimit longest command line in octets, CRLF included (RFC 5321: 512 at least) */
    SmtpDecoder(int lineLimit) {
        this.lineLimit = Math.max(lineLimit, 3);
        // room for the content and a CR; the LF ends the line and is never stored
        this.line = new byte[this.lineLimit - 1];
    }

    boolean inData() {
        return dataMode;
    }

    /** Switches to DATA mode: the bytes after the current command are message content. */
    void startData(long sizeLimit) {
        dataMode = true;
        state = DataState.LINE_START; // the CRLF of the DATA command starts the first line
        dataLimit = sizeLimit;
        dataSize = 0;
        exceeded = false;
        bareLineEnding = false;
    }

    /**
     * Switches to counted mode (RFC 3030 BDAT): the next {@code size} octets are message data,
     * taken as they are. Called from {@link Handler#commandLine}; size must be positive.
     */
    void startChunk(long size) {
        chunkRemaining = size;
    }

    boolean inChunk() {
        return chunkRemaining >= 0;
    }

    /**
     * Ends the current {@link #feed} right after the line being handled, and forgets any partial
     * line: the caller decides what the rest of the input is (STARTTLS discards it).
     */
    void stop() {
        stopRequested = true;
        lineLength = 0;
        discarding = false;
        sawNul = false;
    }

    /** @return the octets consumed: all of them unless the handler called {@link #stop()} */
    int feed(byte[] in, int offset, int length, Handler handler) {
        int pos = offset;
        int end = offset + length;
        stopRequested = false;
        while (pos < end && !stopRequested) {
            if (chunkRemaining >= 0) {
                pos = feedChunk(in, pos, end, handler);
            } else {
                pos = dataMode ? feedData(in, pos, end, handler) : feedCommand(in, pos, end, handler);
            }
        }
        stopRequested = false;
        return pos - offset;
    }

    private int feedChunk(byte[] in, int pos, int end, Handler handler) {
        int n = (int) Math.min(chunkRemaining, end - pos);
        if (n > 0) handler.dataChunk(in, pos, n);
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            chunkRemaining = -1;
            handler.chunkEnd();
        }
        return pos + n;
    }

    private int feedCommand(byte[] in, int pos, int end, Handler handler) {
        while (pos < end && !dataMode && chunkRemaining < 0 && !stopRequested) {
            byte b = in[pos++];
            if (b == '\n') {
                endLine(handler);
                continue;
            }
            if (discarding) continue;
            if (b == 0) sawNul = true;
            if (lineLength == line.length) {
                // A CR in the last slot is fine only if LF follows; anything else overflows.
                discarding = true;
                lineLength = 0;
                continue;
            }
            line[lineLength++] = b;
        }
        return pos;
    }

    private void endLine(Handler handler) {
        int len = lineLength;
        if (len > 0 && line[len - 1] == '\r') len--;
        boolean tooLong = discarding || len > lineLimit - 2;
        boolean nul = sawNul;
        lineLength = 0;
        discarding = false;
        sawNul = false;
        if (tooLong) {
            handler.commandError(Replies.LINE_TOO_LONG);
        } else if (nul) {
            handler.commandError(Replies.NUL_IN_COMMAND);
        } else {
            handler.commandLine(new String(line, 0, len, StandardCharsets.UTF_8));
        }
    }

    private int feedData(byte[] in, int pos, int end, Handler handler) {
        // Unstuffing only removes bytes and a held CR adds at most one, so +1 is room enough.
        byte[] out = new byte[end - pos + 1];
        int n = 0;
        while (pos < end) {
            byte b = in[pos++];
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = DataState.DOT;
                    } else {
                        n = midLine(b, out, n);
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = DataState.DOT_CR;
                    } else {
                        n = midLine(b, out, n); // leading dot removed (RFC 5321 4.5.2)
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        emit(out, n, handler);
                        dataMode = false;
                        handler.dataEnd(new DataSummary(dataSize, exceeded, bareLineEnding));
                        return pos;
                    }
                    bareLineEnding = true;
                    out[n++] = '\r';
                    n = midLine(b, out, n);
                }
                case CR -> {
                    if (b == '\n') {
                        out[n++] = '\r';
                        out[n++] = '\n';
                        state = DataState.LINE_START;
                    } else {
                        bareLineEnding = true;
                        out[n++] = '\r';
                        n = midLine(b, out, n);
                    }
                }
                case MID_LINE -> n = midLine(b, out, n);
                default -> throw new IllegalStateException(state.name());
            }
        }
        emit(out, n, handler);
        return pos;
    }

    /**
     * A byte inside a line. A bare LF neither ends a line nor starts one, so "LF . CR LF" can
     * never be taken as the end marker (the SMTP smuggling trick).
     */
    private int midLine(byte b, byte[] out, int n) {
        if (b == '\r') {
            state = DataState.CR;
            return n;
        }
        if (b == '\n') bareLineEnding = true;
        state = DataState.MID_LINE;
        out[n] = b;
        return n + 1;
    }

    private void emit(byte[] out, int n, Handler handler) {
        if (n == 0) return;
        dataSize += n;
        if (exceeded) return;
        if (dataLimit > 0 && dataSize > dataLimit) {
            exceeded = true;
            handler.dataLimitExceeded();
            return;
        }
        handler.dataChunk(out, 0, n);
    }

    /** Bytes of an unfinished command line held now (for tests and memory accounting). */
    int pendingLineBytes() {
        return lineLength;
    }
}
