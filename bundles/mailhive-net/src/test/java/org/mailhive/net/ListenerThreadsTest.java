package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

class ListenerThreadsTest {

    @Test
    void threadsAreNamedDaemonsCountedFromOne() {
        ThreadFactory f = ListenerThreads.daemonThreads("smtpd-mta");
        Thread a = f.newThread(() -> { });
        Thread b = f.newThread(() -> { });
        assertEquals("smtpd-mta-1", a.getName());
        assertEquals("smtpd-mta-2", b.getName());
        assertTrue(a.isDaemon());
    }

    @Test
    void laterRunsOnTheTimerAndAfterCloseClosesTheSessionInstead() throws Exception {
        ListenerThreads threads = new ListenerThreads("pop3-test", 1);
        DummySession session = new DummySession();
        CompletableFuture<String> ran = new CompletableFuture<>();
        threads.later(session, Duration.ofMillis(1), () -> ran.complete(Thread.currentThread().getName()));
        assertEquals("pop3-test-timer-1", ran.get(10, TimeUnit.SECONDS));

        threads.close();
        assertFalse(session.isClosing());
        threads.later(session, Duration.ofMillis(1), () -> { });
        assertTrue(session.isClosing(), "a refused task closes its session");
    }
}
