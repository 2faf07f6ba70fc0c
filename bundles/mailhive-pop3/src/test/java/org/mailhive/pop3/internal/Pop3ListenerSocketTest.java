package org.mailhive.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.TlsFixture;

/** A real listener on 127.0.0.1 over the in-memory store: the protocol as a client sees it. */
class Pop3ListenerSocketTest {

    static final String M1 = "From: a@b\r\nSubject: first\r\n\r\nline 1\r\n.hidden dot\r\n..two dots\r\n.\r\nend\r\n";
    static final String M2 = "Subject: second\r\n\r\nb1\r\nb2\r\nb3\r\n";

    private final Fakes.Store store = new Fakes.Store();
    private final MailboxLocks locks = new MailboxLocks();
    private Pop3Listener listener;
    private Fakes.Inbox inbox;

    @BeforeEach
    void start() {
        listener = new Pop3Listener(Fakes.AUTH, Fakes.LOCATOR, locks);
        listener.bindStore(store, Map.of("format", "fake", "service.id", 1L));
        inbox = store.inbox("alice@localhost");
        inbox.add(M1);
        inbox.add(M2);
    }

    @AfterEach
    void stop() {
        listener.deactivate();
    }

    private int configure(String name, String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "org.mailhive.pop3.listener~" + name);
        m.put("bind", "127.0.0.1");
        m.put("port", "0");
        m.put("auth_failure_delay", "0s");
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        listener.configure(m);
        assertTrue(listener.localPort() > 0);
        return listener.localPort();
    }

    private Pop3Client connect(int port, boolean tls) throws Exception {
        Pop3Client c = new Pop3Client(port, tls);
        assertEquals("+OK Mailhive POP3 ready.\r\n", c.line());
        return c;
    }

    private static void login(Pop3Client c, String user, String password) throws Exception {
        assertEquals("+OK\r\n", c.command("USER " + user));
        assertEquals("+OK Logged in.\r\n", c.command("PASS " + password));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void everyTransactionCommandOverTheSocket() throws Exception {
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            login(c, "alice@localhost", "secret1");
            int size = M1.length() + M2.length();
            assertEquals("+OK 2 " + size + "\r\n", c.command("STAT"));
            assertEquals("+OK 2 messages:\r\n1 " + M1.length() + "\r\n2 " + M2.length() + "\r\n.\r\n", c.multi("LIST"));
            assertEquals("+OK 1 " + M1.length() + "\r\n", c.command("LIST 1"));
            assertEquals("+OK " + M1.length() + " octets\r\n", c.command("RETR 1"));
            byte[] body = c.body();
            assertEquals("From: a@b\r\nSubject: first\r\n\r\nline 1\r\n..hidden dot\r\n...two dots\r\n..\r\nend\r\n.\r\n",
                    new String(body, StandardCharsets.UTF_8));
            assertArrayEquals(M1.getBytes(StandardCharsets.UTF_8), Pop3Client.unstuff(body));
            assertEquals("+OK\r\nSubject: second\r\n\r\nb1\r\nb2\r\n.\r\n", c.multi("TOP 2 2"));
            assertEquals("+OK\r\nFrom: a@b\r\nSubject: first\r\n\r\n.\r\n", c.multi("TOP 1 0"));
            String uidl = c.multi("UIDL");
            assertTrue(uidl.matches("\\+OK\r\n1 [0-9a-f]+\\.1\r\n2 [0-9a-f]+\\.2\r\n\\.\r\n"), uidl);
            assertEquals("+OK\r\n", c.command("NOOP"));
            assertEquals("+OK Marked to be deleted.\r\n", c.command("DELE 1"));
            assertEquals("-ERR Message is deleted\r\n", c.command("LIST 1"));
            assertEquals("+OK 1 messages:\r\n2 " + M2.length() + "\r\n.\r\n", c.multi("LIST"));
            assertEquals("+OK 2 messages\r\n", c.command("RSET"));
            assertEquals("+OK 2 " + size + "\r\n", c.command("STAT"));
            assertEquals("+OK Logging out.\r\n", c.command("QUIT"));
            assertTrue(c.closedByServer());
        }
        assertEquals(2, inbox.messages.size(), "RSET unmarked the message");
    }

    @Test
    void deleAndQuitDeletesAndUidlStaysStableAcrossSessions() throws Exception {
        int port = configure("pop3");
        String uidOfSecond;
        try (Pop3Client c = connect(port, false)) {
            login(c, "alice@localhost", "secret1");
            uidOfSecond = c.command("UIDL 2").substring("+OK 2 ".length());
            assertEquals("+OK Marked to be deleted.\r\n", c.command("DELE 1"));
            assertEquals("+OK Logging out, messages deleted.\r\n", c.command("QUIT"));
        }
        assertEquals(List.of(2L), List.copyOf(inbox.messages.keySet()));
        inbox.add("Subject: third\r\n\r\nx\r\n");
        try (Pop3Client c = connect(port, false)) {
            login(c, "alice@localhost", "secret1");
            assertEquals("+OK 1 " + uidOfSecond, c.command("UIDL 1"));
            assertEquals("+OK 2 " + uidOfSecond.replaceAll("\\.2\r\n$", ".3\r\n"), c.command("UIDL 2"));
            c.command("QUIT");
        }
    }

    @Test
    void aSessionThatDropsWithoutQuitDeletesNothingAndReleasesTheLock() throws Exception {
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            login(c, "alice@localhost", "secret1");
            c.command("DELE 1");
            c.command("DELE 2");
            assertTrue(locks.isLocked("alice@localhost"));
        }
        await(() -> !locks.isLocked("alice@localhost"), "lock released after the drop");
        assertEquals(2, inbox.messages.size());
        await(() -> store.openMailboxes.get() == 0, "mailbox closed");
        try (Pop3Client c = connect(port, false)) {
            login(c, "alice@localhost", "secret1");
            assertEquals("+OK 2 " + (M1.length() + M2.length()) + "\r\n", c.command("STAT"));
        }
    }

    @Test
    void aSecondSessionForTheSameUserGetsInUse() throws Exception {
        int port = configure("pop3");
        try (Pop3Client first = connect(port, false); Pop3Client second = connect(port, false)) {
            login(first, "alice@localhost", "secret1");
            second.command("USER alice@localhost");
            assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n", second.command("PASS secret1"));
            login(second, "bob@localhost", "secret2");
            assertEquals("+OK 0 0\r\n", second.command("STAT"));
            first.command("QUIT");
        }
    }

    @Test
    void pipelinedCommandsInOneWriteAreAnsweredInOrder() throws Exception {
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            c.send("USER alice@localhost\r\nPASS secret1\r\nRETR 1\r\nRETR 2\r\nTOP 2 1\r\nSTAT\r\nQUIT\r\n");
            assertEquals("+OK\r\n", c.line());
            assertEquals("+OK Logged in.\r\n", c.line());
            assertEquals("+OK " + M1.length() + " octets\r\n", c.line());
            assertArrayEquals(M1.getBytes(StandardCharsets.UTF_8), Pop3Client.unstuff(c.body()));
            assertEquals("+OK " + M2.length() + " octets\r\n", c.line());
            assertEquals(M2 + ".\r\n", c.bodyText());
            assertEquals("+OK\r\n", c.line());
            assertEquals("Subject: second\r\n\r\nb1\r\n.\r\n", c.bodyText());
            assertTrue(c.line().startsWith("+OK 2 "));
            assertEquals("+OK Logging out.\r\n", c.line());
        }
    }

    @Test
    void aLargeMessageIsStreamedInChunksAndArrivesIntact() throws Exception {
        StringBuilder sb = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; sb.length() < 6_000_000; i++) sb.append(i % 7 == 0 ? "." : "").append("line ").append(i)
                .append("\r\n");
        byte[] big = sb.toString().getBytes(StandardCharsets.US_ASCII);
        inbox.add(big);
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            login(c, "alice@localhost", "secret1");
            assertEquals("+OK " + big.length + " octets\r\n", c.command("RETR 3"));
            assertArrayEquals(big, Pop3Client.unstuff(c.body()));
            assertEquals("+OK\r\n", c.command("NOOP"));
        }
        assertTrue(inbox.largestRead <= Transfer.CHUNK, "read in chunks, got " + inbox.largestRead);
    }

    @Test
    void badInputOverTheSocket() throws Exception {
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            assertEquals("-ERR line too long\r\n", c.command("USER " + Fakes.repeat('x', 300)));
            assertEquals("-ERR NUL character in command\r\n", c.command("USER a\0"));
            assertEquals("-ERR unknown command\r\n", c.command("HELO there"));
            assertEquals("-ERR command not valid in this state\r\n", c.command("RETR 1"));
            // a line of 10 kB is skipped to its end; what follows is a fresh command
            assertEquals("-ERR line too long\r\n", c.command(Fakes.repeat('y', 10_000)));
            assertEquals("+OK\r\n", c.command("USER alice@localhost"));
        }
    }

    @Test
    void plaintextLoginIsRefusedForANonLocalClientUntilStls() throws Exception {
        listener.setTls(TlsFixture.INSTANCE);
        listener.setLocalClient(address -> false);
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            String capa = c.multi("CAPA");
            assertTrue(capa.contains("\r\nSTLS\r\n"), capa);
            assertFalse(capa.contains("\r\nUSER\r\n"), capa);
            assertEquals("-ERR [AUTH] Plaintext authentication disallowed on non-secure connections\r\n",
                    c.command("USER alice@localhost"));
            // plaintext pipelined behind STLS must never be executed
            c.send("STLS\r\nUSER alice@localhost\r\n");
            assertEquals("+OK Begin TLS negotiation now.\r\n", c.line());
            c.upgrade();
            assertEquals("-ERR No username given.\r\n", c.command("PASS secret1"));
            String after = c.multi("CAPA");
            assertFalse(after.contains("STLS"), after);
            assertTrue(after.contains("\r\nUSER\r\n"), after);
            assertEquals("-ERR TLS is already active.\r\n", c.command("STLS"));
            login(c, "alice@localhost", "secret1");
            assertEquals("+OK " + M2.length() + " octets\r\n", c.command("RETR 2"));
            assertEquals(M2 + ".\r\n", c.bodyText());
        }
    }

    @Test
    void withoutATlsProviderStlsIsNeitherOfferedNorAccepted() throws Exception {
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            assertFalse(c.multi("CAPA").contains("STLS"));
            assertEquals("-ERR [SYS/TEMP] TLS not available\r\n", c.command("STLS"));
        }
    }

    @Test
    void pop3sSpeaksTlsFromTheFirstByte() throws Exception {
        listener.setTls(TlsFixture.INSTANCE);
        listener.setLocalClient(address -> false);
        int port = configure("pop3s", "ssl", "yes");
        try (Pop3Client c = connect(port, true)) {
            assertFalse(c.multi("CAPA").contains("STLS"));
            login(c, "alice@localhost", "secret1");
            assertEquals("+OK " + M1.length() + " octets\r\n", c.command("RETR 1"));
            assertArrayEquals(M1.getBytes(StandardCharsets.UTF_8), Pop3Client.unstuff(c.body()));
        }
    }

    @Test
    void anSslListenerWithoutTlsProviderRefusesConnections() throws Exception {
        int port = configure("pop3s", "ssl", "yes");
        try (Pop3Client c = new Pop3Client(port, false)) {
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aFailedLoginIsDelayedWithoutHoldingTheOnlyWorker() throws Exception {
        int port = configure("pop3", "auth_failure_delay", "1s", "pop3_worker_threads", "1");
        try (Pop3Client slow = connect(port, false); Pop3Client other = connect(port, false)) {
            slow.command("USER alice@localhost");
            long t0 = System.nanoTime();
            slow.send("PASS wrong\r\n");
            // the single worker still serves another client while the reply waits
            assertTrue(other.multi("CAPA").startsWith("+OK"));
            assertEquals("-ERR [AUTH] Authentication failed.\r\n", slow.line());
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(950).toNanos());
            login(slow, "alice@localhost", "secret1");
        }
    }

    @Test
    void withoutAStoreForTheFormatLoginFailsTemporarily() throws Exception {
        listener.unbindStore(store);
        int port = configure("pop3");
        try (Pop3Client c = connect(port, false)) {
            c.command("USER alice@localhost");
            assertEquals("-ERR [SYS/TEMP] Mailbox is temporarily unavailable\r\n", c.command("PASS secret1"));
        }
        assertFalse(locks.isLocked("alice@localhost"));
    }

    @Test
    void aBadValueKeepsThePreviousConfiguration() throws Exception {
        int port = configure("pop3");
        Map<String, Object> bad = new HashMap<>();
        bad.put("service.pid", "org.mailhive.pop3.listener~pop3");
        bad.put("bind", "127.0.0.1");
        bad.put("port", "not-a-port");
        listener.configure(bad);
        assertEquals(port, listener.localPort());
        assertEquals(Duration.ZERO, listener.currentSettings().authFailureDelay());
        try (Pop3Client c = connect(port, false)) {
            assertEquals("+OK\r\n", c.command("USER alice@localhost"));
        }
    }
}
