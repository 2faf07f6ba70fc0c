package org.mailhive.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.TlsFixture;

/** The protocol flow of one session against a recording connection: no socket, no threads. */
class Pop3SessionTest {

    private final Fakes.Services services = new Fakes.Services();
    private Fakes.FakeConnection conn;
    private Pop3Session session;

    @BeforeEach
    void setUp() {
        Fakes.Inbox inbox = services.store.inbox("alice@localhost");
        inbox.add("Subject: one\r\n\r\nhello\r\n");
        inbox.add("Subject: two\r\n\r\n.dot\r\nlast");
    }

    private ListenerSettings settings(Duration authDelay) {
        return new ListenerSettings("pop3", "127.0.0.1", 0, false, Duration.ofMinutes(10), true, 2, authDelay, 10);
    }

    private String open(String client, Duration authDelay) {
        conn = new Fakes.FakeConnection(client);
        session = new Pop3Session(services, settings(authDelay), conn);
        session.open();
        return conn.take();
    }

    private String send(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        session.receive(b, 0, b.length, false);
        return conn.take();
    }

    private void login() {
        assertEquals("+OK\r\n", send("USER alice@localhost\r\n"));
        assertEquals("+OK Logged in.\r\n", send("PASS secret1\r\n"));
    }

    @Test
    void aWholeDialogFromGreetingToQuit() {
        assertEquals("+OK Mailhive POP3 ready.\r\n", open("127.0.0.1", Duration.ZERO));
        login();
        assertEquals("+OK 2 " + (23 + 26) + "\r\n", send("STAT\r\n"));
        assertEquals("+OK 2 messages:\r\n1 23\r\n2 26\r\n.\r\n", send("LIST\r\n"));
        assertEquals("+OK 2 26\r\n", send("LIST 2\r\n"));
        assertEquals("+OK 23 octets\r\nSubject: one\r\n\r\nhello\r\n.\r\n", send("RETR 1\r\n"));
        assertEquals("+OK 26 octets\r\nSubject: two\r\n\r\n..dot\r\nlast\r\n.\r\n", send("RETR 2\r\n"));
        assertEquals("+OK\r\nSubject: two\r\n\r\n.\r\n", send("TOP 2 0\r\n"));
        assertEquals("+OK\r\n1 " + Long.toHexString(1_700_000_123L) + ".1\r\n2 " + Long.toHexString(1_700_000_123L)
                + ".2\r\n.\r\n", send("UIDL\r\n"));
        assertEquals("+OK\r\n", send("NOOP\r\n"));
        assertEquals("+OK Marked to be deleted.\r\n", send("DELE 1\r\n"));
        assertEquals("-ERR Message is deleted\r\n", send("RETR 1\r\n"));
        assertEquals("+OK 1 26\r\n", send("STAT\r\n"));
        assertEquals("+OK Logging out, messages deleted.\r\n", send("QUIT\r\n"));
        assertTrue(conn.closed);
        assertEquals(1, services.store.inbox("alice@localhost").messages.size());
        assertFalse(services.locks.isLocked("alice@localhost"));
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderInOneWrite() {
        open("127.0.0.1", Duration.ZERO);
        String all = send("USER alice@localhost\r\nPASS secret1\r\nSTAT\r\nRETR 1\r\nQUIT\r\n");
        assertEquals("+OK\r\n+OK Logged in.\r\n+OK 2 49\r\n+OK 23 octets\r\nSubject: one\r\n\r\nhello\r\n.\r\n"
                + "+OK Logging out.\r\n", all);
    }

    @Test
    void commandsInTheWrongStateUnknownCommandsAndBadArgumentsGetErr() {
        open("127.0.0.1", Duration.ZERO);
        assertEquals("-ERR command not valid in this state\r\n", send("STAT\r\n"));
        assertEquals("-ERR unknown command\r\n", send("APOP alice 0123\r\n"));
        assertEquals("-ERR No username given.\r\n", send("PASS x\r\n"));
        login();
        assertEquals("-ERR command not valid in this state\r\n", send("USER bob@localhost\r\n"));
        assertEquals("-ERR command not valid in this state\r\n", send("STLS\r\n"));
        assertEquals("-ERR There's no message with that number\r\n", send("RETR 3\r\n"));
        assertEquals("-ERR There's no message with that number\r\n", send("LIST 0\r\n"));
        assertEquals("-ERR Invalid message number\r\n", send("DELE one\r\n"));
        assertEquals("-ERR Invalid number of lines\r\n", send("TOP 1 x\r\n"));
        assertEquals("-ERR Missing argument\r\n", send("RETR\r\n"));
        assertEquals("+OK 2 messages\r\n", send("RSET\r\n"));
    }

    @Test
    void commandLinesAreLimitedTo255OctetsAndNulIsRefused() {
        open("127.0.0.1", Duration.ZERO);
        // 253 octets + CRLF = 255: allowed
        assertEquals("+OK\r\n", send("USER " + Fakes.repeat('a', 248) + "\r\n"));
        assertEquals("-ERR line too long\r\n", send("USER " + Fakes.repeat('a', 249) + "\r\n"));
        assertEquals("-ERR NUL character in command\r\n", send("USER a\0b\r\n"));
        assertFalse(conn.closed);
    }

    @Test
    void tenBadCommandsCloseTheConnection() {
        open("127.0.0.1", Duration.ZERO);
        String out = send("X\r\n".repeat(12));
        assertTrue(out.endsWith("-ERR unknown command\r\n-ERR Too many bad commands.\r\n"), out);
        assertEquals(10, out.split("-ERR unknown command", -1).length - 1);
        assertTrue(conn.closed);
    }

    @Test
    void plaintextLoginIsRefusedForARemoteClientWithoutTls() {
        String greeting = open("192.0.2.7", Duration.ZERO);
        assertTrue(greeting.startsWith("+OK"));
        String capa = send("CAPA\r\n");
        assertFalse(capa.contains("\r\nUSER\r\n"), capa);
        assertFalse(capa.contains("SASL"), capa);
        String refusal = "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections\r\n";
        assertEquals(refusal, send("USER alice@localhost\r\n"));
        assertEquals(refusal, send("PASS secret1\r\n"));
        assertEquals(refusal, send("AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
    }

    @Test
    void capaListsWhatIsAvailableNow() {
        services.tls = TlsFixture.INSTANCE;
        open("127.0.0.1", Duration.ZERO);
        assertEquals("+OK Capability list follows\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
                + "PIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nSTLS\r\nIMPLEMENTATION Mailhive\r\n.\r\n", send("CAPA\r\n"));
        login();
        String after = send("CAPA\r\n");
        assertFalse(after.contains("STLS") || after.contains("USER") || after.contains("SASL"), after);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authPlainAndLoginWithInitialResponseContinuationAndCancel() {
        open("127.0.0.1", Duration.ZERO);
        assertEquals("+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n", send("AUTH\r\n"));
        assertEquals("-ERR Unsupported authentication mechanism.\r\n", send("AUTH CRAM-MD5\r\n"));
        assertEquals("+ \r\n", send("AUTH PLAIN\r\n"));
        assertEquals("-ERR Authentication aborted\r\n", send("*\r\n"));
        assertEquals("+ " + b64("Username:") + "\r\n", send("AUTH LOGIN\r\n"));
        assertEquals("+ " + b64("Password:") + "\r\n", send(b64("alice@localhost") + "\r\n"));
        assertEquals("-ERR [AUTH] Authentication failed.\r\n", send(b64("wrong") + "\r\n"));
        assertEquals("+ \r\n", send("AUTH PLAIN\r\n"));
        assertEquals("-ERR Invalid base64 data in continued response\r\n", send("###\r\n"));
        assertEquals("+OK Logged in.\r\n", send("AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
        assertEquals("+OK 2 49\r\n", send("STAT\r\n"));
    }

    @Test
    void aFailedLoginIsAnsweredAfterTheDelayAndLaterInputWaits() {
        open("127.0.0.1", Duration.ofSeconds(2));
        assertEquals("+OK\r\n", send("USER alice@localhost\r\n"));
        assertEquals("", send("PASS wrong\r\nNOOP\r\nUSER alice@localhost\r\nPASS secret1\r\n"));
        assertEquals(1, conn.delays.size());
        assertEquals(Duration.ofSeconds(2), conn.delays.get(0));
        session.resume();
        assertEquals("-ERR [AUTH] Authentication failed.\r\n-ERR command not valid in this state\r\n+OK\r\n"
                + "+OK Logged in.\r\n", conn.take());
    }

    @Test
    void aSecondSessionOfTheSameUserFindsTheMailboxLocked() {
        open("127.0.0.1", Duration.ZERO);
        login();
        Pop3Session first = session;
        Fakes.FakeConnection firstConn = conn;
        open("127.0.0.1", Duration.ZERO);
        send("USER alice@localhost\r\n");
        assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n", send("PASS secret1\r\n"));
        send("USER bob@localhost\r\n");
        assertEquals("+OK Logged in.\r\n", send("PASS secret2\r\n"));
        // the first session drops without QUIT: nothing deleted, lock released
        byte[] dele = "DELE 1\r\n".getBytes(StandardCharsets.US_ASCII);
        first.receive(dele, 0, dele.length, false);
        assertEquals("+OK Marked to be deleted.\r\n", firstConn.take());
        first.closed();
        assertEquals(2, services.store.inbox("alice@localhost").messages.size());
        assertFalse(services.locks.isLocked("alice@localhost"));
        assertEquals(0, services.store.openMailboxes.get() - 1, "only bob's mailbox is still open");
    }

    @Test
    void missingServicesGiveTemporaryErrorsNotCrashes() {
        services.storePresent = false;
        open("127.0.0.1", Duration.ZERO);
        send("USER alice@localhost\r\n");
        assertEquals("-ERR [SYS/TEMP] Mailbox is temporarily unavailable\r\n", send("PASS secret1\r\n"));
        assertFalse(services.locks.isLocked("alice@localhost"));
        services.auth = null;
        send("USER alice@localhost\r\n");
        assertEquals("-ERR [SYS/TEMP] Authentication temporarily unavailable\r\n", send("PASS secret1\r\n"));
    }

    @Test
    void aMessageThatVanishedOrCannotBeReadGetsErrBeforeAnyOk() {
        open("127.0.0.1", Duration.ZERO);
        login();
        services.store.inbox("alice@localhost").messages.remove(1L);
        assertEquals("-ERR Message is no longer available\r\n", send("RETR 1\r\n"));
        services.store.inbox("alice@localhost").failOpen = new java.io.IOException("disk on fire");
        assertEquals("-ERR [SYS/TEMP] Cannot read the message\r\n", send("RETR 2\r\n"));
    }

    @Test
    void aSlowReaderPausesTheTransferAndPipelinedCommandsWaitForIt() {
        byte[] big = new byte[300_000];
        java.util.Arrays.fill(big, (byte) 'x');
        for (int i = 99; i < big.length; i += 100) {
            big[i - 1] = '\r';
            big[i] = '\n';
        }
        services.store.inbox("alice@localhost").add(big);
        open("127.0.0.1", Duration.ZERO);
        login();
        conn.pending = Pop3Session.HIGH_WATER; // the client reads nothing
        String first = send("RETR 3\r\nNOOP\r\n");
        assertTrue(first.startsWith("+OK 300000 octets\r\n"), first.substring(0, 40));
        assertEquals(1, conn.drainRequests);
        assertFalse(first.contains("+OK\r\n"), "NOOP must wait for the message");
        conn.pending = 0;
        session.drained();
        String rest = conn.take();
        assertTrue(rest.endsWith("\r\n.\r\n+OK\r\n"), rest.substring(Math.max(0, rest.length() - 40)));
        assertEquals(300_000 + "+OK 300000 octets\r\n".length() + ".\r\n".length(), first.length() + rest.length()
                - "+OK\r\n".length());
        assertTrue(services.store.inbox("alice@localhost").largestRead <= Transfer.CHUNK);
    }

    @Test
    void inactivityClosesPolitelyButCutsOffAClientStuckInATransfer() {
        open("127.0.0.1", Duration.ZERO);
        session.idle();
        assertEquals("-ERR Disconnected for inactivity.\r\n", conn.take());
        assertTrue(conn.closed);
        assertFalse(conn.aborted);

        byte[] big = new byte[400_000];
        java.util.Arrays.fill(big, (byte) 'y');
        services.store.inbox("alice@localhost").add(big);
        open("127.0.0.1", Duration.ZERO);
        login();
        conn.pending = Pop3Session.HIGH_WATER;
        send("RETR 3\r\n");
        assertFalse(conn.closed);
        session.idle();
        assertTrue(conn.aborted);
        session.closed();
        assertFalse(services.locks.isLocked("alice@localhost"));
    }
}
