package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InlineCommandsTest {

    private static boolean accept(String input) {
        byte[] b = ("xx" + input).getBytes(StandardCharsets.ISO_8859_1);
        return InlineCommands.accept(b, 2, b.length - 2, 1000);
    }

    @Test
    void memoryOnlyCommandsInWholeLines() {
        assertTrue(accept("EHLO client.test\r\n"));
        assertTrue(accept("helo x\r\n"));
        assertTrue(accept("MAIL FROM:<a@b.test> SIZE=10\r\n"));
        assertTrue(accept("NOOP\r\nRSET\r\nQUIT\r\n"));
    }

    @Test
    void everythingElseIsTheWorkers() {
        assertFalse(accept("RCPT TO:<a@localhost>\r\n"), "lookups");
        assertFalse(accept("DATA\r\n"), "the queue");
        assertFalse(accept("MAIL FROM:<a@b.test>\r\nRCPT TO:<c@localhost>\r\n"), "one line of the batch needs the worker");
        assertFalse(accept("AUTH PLAIN AGFAYg==\r\n"));
        assertFalse(accept("STARTTLS\r\n"));
        assertFalse(accept("EHLO x"), "partial line");
        assertFalse(accept("EHLO x\n"), "bare LF");
        assertFalse(accept("EHLO x\r\nNOOP"), "partial second line");
        assertFalse(accept("EHLO a\rb\r\n"), "bare CR");
        assertFalse(accept("EHLO \u0000x\r\n"), "NUL");
        assertFalse(accept("MAIL FROM:<\u00e9@b.test>\r\n"), "8-bit");
        assertFalse(accept("\r\n"), "empty line");
        assertFalse(accept("HELLO x\r\n"), "not a verb of four letters");
        byte[] longLine = ("MAIL FROM:<" + "a".repeat(1100) + "@b.test>\r\n").getBytes(StandardCharsets.US_ASCII);
        assertFalse(InlineCommands.accept(longLine, 0, longLine.length, 1000), "over the line limit");
    }
}
