package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLinesTest {

    private final List<String> seen = new ArrayList<>();

    private boolean all(String input, int max) {
        byte[] b = ("--" + input).getBytes(StandardCharsets.ISO_8859_1);
        return CommandLines.all(b, 2, b.length - 2, max, (bytes, start, n) -> {
            seen.add(new String(bytes, start, n, StandardCharsets.US_ASCII));
            return !seen.get(seen.size() - 1).startsWith("NO");
        });
    }

    @Test
    void wholePrintableLinesEachTested() {
        assertTrue(all("ONE 1\r\nTWO\r\n", 10));
        assertEquals(List.of("ONE 1", "TWO"), seen);
        assertFalse(all("ONE\r\nNOT THIS\r\n", 10), "the test says no to a line");
        assertTrue(all("0123456789\r\n", 10));
        assertFalse(all("0123456789A\r\n", 10), "longer than the limit");
    }

    @Test
    void anythingUnusualIsLeftToTheWorker() {
        for (String bad : new String[] {"", "\r\n", "ONE", "ONE\r", "ONE\n", "ONE\r\nTWO", "O\rNE\r\n", "O\u0000NE\r\n",
            "O\u007fNE\r\n", "\u00e9T\u00c9\r\n", "ONE\r\n\r\n", "ONE\tTWO\r\n"}) {
            assertFalse(all(bad, 100), bad);
        }
    }
}
