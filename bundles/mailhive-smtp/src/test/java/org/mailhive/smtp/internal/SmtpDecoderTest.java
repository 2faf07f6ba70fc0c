package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.mail.SmtpReply;
import org.junit.jupiter.api.Test;

class SmtpDecoderTest {

    /** Records events; switches to DATA mode when it sees the line "DATA", as the session does. */
    private static final class Recorder implements SmtpDecoder.Handler {
        final SmtpDecoder decoder;
        final long limit;
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int chunks;
        SmtpDecoder.DataSummary summary;

        Recorder(int lineLimit, long limit) {
            this.decoder = new SmtpDecoder(lineLimit);
            this.limit = limit;
        }

        @Override
        public void commandLine(String line) {
            events.add("line:" + line);
            if (line.equals("DATA")) decoder.startData(limit);
            if (line.startsWith("BDAT ")) decoder.startChunk(Long.parseLong(line.substring(5)));
            if (line.equals("STARTTLS")) decoder.stop();
        }

        @Override
        public void commandError(SmtpReply reply) {
            events.add("error:" + reply.summary());
        }

        @Override
        public void dataChunk(byte[] b, int off, int len) {
            chunks++;
            data.write(b, off, len);
        }

        @Override
        public void chunkEnd() {
            events.add("chunkEnd:" + data.size());
        }

        @Override
        public void dataLimitExceeded() {
            events.add("limit");
        }

        @Override
        public void dataEnd(SmtpDecoder.DataSummary s) {
            summary = s;
            events.add("end:" + s.size());
        }

        final List<Integer> consumed = new ArrayList<>();

        Recorder feed(String... parts) {
            for (String p : parts) {
                byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
                consumed.add(decoder.feed(b, 0, b.length, this));
            }
            return this;
        }

        Recorder feedBytewise(String s) {
            for (char c : s.toCharArray()) feed(String.valueOf(c));
            return this;
        }

        String data() {
            return data.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static Recorder recorder() {
        return new Recorder(1000, 0);
    }

    @Test
    void crlfLinesAndBareLfLines() {
        Recorder r = recorder().feed("EHLO a\r\nNOOP\nMAIL FROM:<x@y>\r\n");
        assertEquals(List.of("line:EHLO a", "line:NOOP", "line:MAIL FROM:<x@y>"), r.events);
    }

    @Test
    void lineSplitAcrossFeedsAndCrlfSplit() {
        Recorder r = recorder().feed("NO", "OP\r", "\nQU", "IT\r\n");
        assertEquals(List.of("line:NOOP", "line:QUIT"), r.events);
    }

    @Test
    void incompleteLineIsHeldNotEmitted() {
        Recorder r = recorder().feed("NOOP");
        assertEquals(List.of(), r.events);
        assertEquals(4, r.decoder.pendingLineBytes());
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedOneMoreIsTooLong() {
        String ok = "NOOP " + "a".repeat(1000 - 2 - 5);
        String tooLong = ok + "b";
        Recorder r = recorder().feed(ok + "\r\n", tooLong + "\r\n", "QUIT\r\n");
        assertEquals(3, r.events.size());
        assertEquals("line:" + ok, r.events.get(0));
        assertEquals("error:500 5.5.2 Line too long", r.events.get(1));
        assertEquals("line:QUIT", r.events.get(2));
    }

    @Test
    void veryLongLineIsDiscardedToTheLineEndInBoundedMemory() {
        Recorder r = recorder();
        for (int i = 0; i < 100; i++) r.feed("x".repeat(1000));
        assertTrue(r.decoder.pendingLineBytes() < 1000);
        r.feed("\r\nNOOP\r\n");
        assertEquals(List.of("error:500 5.5.2 Line too long", "line:NOOP"), r.events);
    }

    @Test
    void nulInCommandIsRejected() {
        Recorder r = recorder().feed("NO\0OP\r\nNOOP\r\n");
        assertEquals(List.of("error:500 5.5.2 NUL character in command", "line:NOOP"), r.events);
    }

    @Test
    void dataEndsAtCrlfDotCrlfAndFollowingCommandsAreLines() {
        Recorder r = recorder().feed("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        assertEquals("Subject: x\r\n\r\nbody\r\n", r.data());
        assertEquals(List.of("line:DATA", "end:20", "line:QUIT"), r.events);
        assertFalse(r.summary.bareLineEnding());
    }

    @Test
    void emptyMessageEndsAtOnce() {
        Recorder r = recorder().feed("DATA\r\n.\r\n");
        assertEquals("", r.data());
        assertEquals(List.of("line:DATA", "end:0"), r.events);
    }

    @Test
    void dotStuffingIsRemovedAcrossChunkBoundaries() {
        String wire = "DATA\r\n..leading dot\r\n...two\r\nmid.dot\r\n.\r\n";
        String expected = ".leading dot\r\n..two\r\nmid.dot\r\n";
        assertEquals(expected, recorder().feed(wire).data());
        assertEquals(expected, recorder().feedBytewise(wire).data());
        assertEquals(expected, recorder().feed("DATA\r\n.", ".leading dot\r\n.", "..two\r\nmid.dot\r", "\n.", "\r", "\n").data());
    }

    @Test
    void endMarkerSplitOverChunksInEveryPosition() {
        String wire = "DATA\r\nhello\r\n.\r\nNOOP\r\n";
        for (int cut = 6; cut < wire.length(); cut++) {
            Recorder r = recorder().feed(wire.substring(0, cut), wire.substring(cut));
            assertEquals("hello\r\n", r.data(), "cut at " + cut);
            assertEquals(List.of("line:DATA", "end:7", "line:NOOP"), r.events, "cut at " + cut);
        }
    }

    @Test
    void bareLfInDataIsFlaggedAndNeverEndsTheMessage() {
        // The smuggling pattern: "\n.\r\n" and "\r\n.\n" must not end the data.
        Recorder r = recorder().feed("DATA\r\nbody\n.\r\nMAIL FROM:<evil@x>\r\n.\nmore\r\n.\r\n");
        assertTrue(r.summary.bareLineEnding());
        assertEquals(List.of("line:DATA", "end:" + r.summary.size()), r.events);
        assertTrue(r.data().contains("MAIL FROM:<evil@x>"));
    }

    @Test
    void bareCrInDataIsFlagged() {
        Recorder r = recorder().feed("DATA\r\nbody\rmore\r\n.\r\n");
        assertTrue(r.summary.bareLineEnding());
        Recorder dotCr = recorder().feed("DATA\r\n.\rx\r\n.\r\n");
        assertTrue(dotCr.summary.bareLineEnding());
    }

    @Test
    void eightBitAndNulBytesPassThroughData() {
        Recorder r = recorder().feed("DATA\r\nK\u00e4se\0\r\n.\r\n");
        assertEquals("K\u00e4se\0\r\n", r.data());
    }

    @Test
    void sizeLimitStopsChunksButReadsToTheEnd() {
        Recorder r = new Recorder(1000, 10).feed("DATA\r\n0123456789\r\n", "more more more\r\n", ".\r\nNOOP\r\n");
        assertEquals(List.of("line:DATA", "limit", "end:28", "line:NOOP"), r.events);
        assertTrue(r.summary.limitExceeded());
        assertTrue(r.data().length() <= 10);
    }

    @Test
    void messageIsStreamedInChunksNotCollected() {
        Recorder r = recorder();
        r.feed("DATA\r\n");
        for (int i = 0; i < 50; i++) r.feed("line " + i + "\r\n");
        r.feed(".\r\n");
        assertTrue(r.chunks >= 50);
        assertTrue(r.data().startsWith("line 0\r\nline 1\r\n"));
    }

    @Test
    void chunkModeTakesExactlyTheCountedOctetsAsTheyAre() {
        Recorder r = recorder().feed("BDAT 7\r\n.\r\na\nb", "\0NOOP\r\n");
        assertEquals(".\r\na\nb\0", r.data());
        assertEquals(List.of("line:BDAT 7", "chunkEnd:7", "line:NOOP"), r.events);
    }

    @Test
    void chunkSpanningManyReadsIsPassedOnWithoutCopyingItAll() {
        Recorder r = recorder().feed("BDAT 10\r\n12", "345", "6789", "0QUIT\r\n");
        assertEquals("1234567890", r.data());
        assertEquals(List.of("line:BDAT 10", "chunkEnd:10", "line:QUIT"), r.events);
        assertEquals(4, r.chunks);
    }

    @Test
    void stopEndsTheFeedAfterTheLineAndReportsWhatWasUsed() {
        Recorder r = recorder().feed("EHLO a\r\nSTARTTLS\r\nMAIL FROM:<evil@x>\r\n");
        assertEquals(List.of("line:EHLO a", "line:STARTTLS"), r.events);
        assertEquals(List.of(18), r.consumed);
        r.feed("NOOP\r\n");
        assertEquals("line:NOOP", r.events.get(2));
    }
}
