package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.config.Settings;

class ListenerNamesTest {

    @Test
    void theNameIsWhatFollowsTheTildeOfFileOrPid() {
        assertEquals("mta", ListenerNames.of(Map.of(Settings.SOURCE_FILE,
                "/etc/mailhive/org.mailhive.smtp.listener~mta.cfg", "service.pid", "x~other"), "smtp"));
        assertEquals("pop3s", ListenerNames.of(Map.of(Settings.SOURCE_FILE,
                "/etc/mailhive/org.mailhive.pop3.listener~pop3s.config"), "pop3"));
        assertEquals("submission", ListenerNames.of(Map.of("service.pid", "org.mailhive.smtp.listener~submission"),
                "smtp"));
    }

    @Test
    void withoutATildeTheNameKeyOrTheFallbackNamesIt() {
        assertEquals("edge", ListenerNames.of(Map.of("service.pid", "org.mailhive.smtp.listener.1234",
                "name", " edge "), "smtp"));
        assertEquals("pop3", ListenerNames.of(Map.of("service.pid", "org.mailhive.pop3.listener~", "name", " "),
                "pop3"));
        assertEquals("smtp", ListenerNames.of(Map.of(), "smtp"));
    }
}
