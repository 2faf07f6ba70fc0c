package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputBacklogTest {

    private final List<String> calls = new ArrayList<>();
    private final InputBacklog.ReadSwitch recorder = new InputBacklog.ReadSwitch() {
        @Override
        public void suspend() {
            calls.add("suspend");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }
    };

    @Test
    void exactlyHighStillReadsOneMoreByteSuspends() {
        InputBacklog b = new InputBacklog(100, 20, recorder);
        b.received(100);
        assertFalse(b.suspended());
        b.received(1);
        assertTrue(b.suspended());
        b.received(500);
        assertEquals(List.of("suspend"), calls, "suspended once, however much more arrives");
    }

    @Test
    void resumesOnlyAtOrBelowLow() {
        InputBacklog b = new InputBacklog(100, 20, recorder);
        b.received(150);
        b.processed(129);
        assertTrue(b.suspended(), "21 bytes still wait");
        b.processed(1);
        assertFalse(b.suspended());
        assertEquals(List.of("suspend", "resume"), calls);
        b.processed(20);
        assertEquals(List.of("suspend", "resume"), calls, "no resume while not suspended");
    }

    @Test
    void cyclesSuspendAndResumeRepeatedly() {
        InputBacklog b = new InputBacklog(InputBacklog.HIGH, InputBacklog.LOW, recorder);
        for (int i = 0; i < 3; i++) {
            b.received(InputBacklog.HIGH + 1);
            b.processed(InputBacklog.HIGH + 1);
        }
        assertEquals(List.of("suspend", "resume", "suspend", "resume", "suspend", "resume"), calls);
    }

    @Test
    void lowAboveHighIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InputBacklog(10, 11, recorder));
        assertThrows(IllegalArgumentException.class, () -> InboundFilter.withBacklog(10, 11));
    }
}
