package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.config.Settings;

class QueueSettingsTest {

    @Test
    void defaultsFollowPostfix() {
        Settings s = new Settings(Map.of());
        QueueSettings q = QueueSettings.from(s, "/var/mailhive");
        assertTrue(s.ok());
        assertEquals(Path.of("/var/mailhive/queue"), q.directory());
        assertEquals(Duration.ofSeconds(300), q.minimalBackoff());
        assertEquals(Duration.ofSeconds(4000), q.maximalBackoff());
        assertEquals(Duration.ofSeconds(300), q.queueRunDelay());
        assertEquals(Duration.ofDays(5), q.maximalLifetime());
        assertEquals(8, q.concurrency());
        assertEquals(1000, q.activeWindow());
    }

    @Test
    void postfixTimeSyntaxIsRead() {
        Settings s = new Settings(Map.of("queue_directory", "/srv/q", "minimal_backoff_time", "1m",
                "maximal_backoff_time", "1h", "maximal_queue_lifetime", "2d", "delivery_concurrency", "3",
                "active_window", "50"));
        QueueSettings q = QueueSettings.from(s, "/ignored");
        assertTrue(s.ok(), s.problems().toString());
        assertEquals(Path.of("/srv/q"), q.directory());
        assertEquals(Duration.ofMinutes(1), q.minimalBackoff());
        assertEquals(Duration.ofDays(2), q.maximalLifetime());
        assertEquals(3, q.concurrency());
        assertEquals(50, q.activeWindow());
    }

    @Test
    void badValuesAreReported() {
        Settings s = new Settings(Map.of("minimal_backoff_time", "soon", "delivery_concurrency", "0",
                "queue_directory", "relative/q", "maximal_backoff_time", "10s"));
        QueueSettings.from(s, "/d");
        assertFalse(s.ok());
        assertEquals(4, s.problems().size(), s.problems().toString());
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        QueueSettings q = QueueSettings.defaults(Path.of("/q"));
        assertEquals(Duration.ofSeconds(300), q.backoff(1));
        assertEquals(Duration.ofSeconds(600), q.backoff(2));
        assertEquals(Duration.ofSeconds(2400), q.backoff(4));
        assertEquals(Duration.ofSeconds(4000), q.backoff(5));
        assertEquals(Duration.ofSeconds(4000), q.backoff(500));
    }
}
