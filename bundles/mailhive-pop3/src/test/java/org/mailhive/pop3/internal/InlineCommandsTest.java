package org.mailhive.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the I/O thread may answer itself; everything else must reach the worker unchanged. */
class InlineCommandsTest {

    private static boolean accept(String input, int... readAhead) {
        byte[] b = ("xx" + input).getBytes(StandardCharsets.ISO_8859_1);
        return InlineCommands.accept(b, 2, b.length - 2, n -> java.util.Arrays.stream(readAhead).anyMatch(r -> r == n));
    }

    @Test
    void wholeLinesOfInMemoryCommandsAndRetrOfReadAheadMessages() {
        assertTrue(accept("NOOP\r\n"));
        assertTrue(accept("stat\r\nLIST\r\nUIDL 3\r\nDELE 2\r\n"));
        assertTrue(accept("RETR 7\r\n", 7));
        assertTrue(accept("RETR 7\r\nRETR 8\r\n", 7, 8));
    }

    @Test
    void anythingElseGoesToTheWorker() {
        assertFalse(accept("RETR 7\r\n"), "not read ahead");
        assertFalse(accept("RETR 7\r\nRETR 8\r\n", 7), "the second is not read ahead");
        assertFalse(accept("RETR 7", 7), "no line end yet");
        assertFalse(accept("NOOP\r\nRETR", 7), "a partial line after a whole one");
        assertFalse(accept("NOOP\n"), "bare LF");
        assertFalse(accept("\r\n"), "empty line");
        assertFalse(accept("TOP 7 0\r\n", 7));
        assertFalse(accept("QUIT\r\n"), "QUIT removes files");
        assertFalse(accept("RSET\r\n"));
        assertFalse(accept("RETR -1\r\n", 7));
        assertFalse(accept("RETR 7 \r\n", 7));
        assertFalse(accept("RETR 99999999999\r\n", 7));
        assertFalse(accept("NOOP\u0000\r\n"), "NUL");
        assertFalse(accept("NOOP \u00e9\r\n"), "8-bit");
        assertFalse(accept("NOOP " + "x".repeat(300) + "\r\n"), "longer than a command may be");
    }
}
