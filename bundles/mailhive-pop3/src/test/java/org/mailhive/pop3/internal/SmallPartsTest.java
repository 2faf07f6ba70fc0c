package org.mailhive.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.mailhive.api.config.Settings;
import org.junit.jupiter.api.Test;
import org.mailhive.net.SaslExchange;

/** The pure parts: dot-stuffing, line splitting, SASL, locks, settings. */
class SmallPartsTest {

    private static String stuff(String message, long bodyLines, int pieceSize) {
        DotStuffer d = new DotStuffer(bodyLines);
        OutBuffer out = new OutBuffer();
        byte[] in = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length && !d.done(); i += pieceSize) d.encode(in, i, Math.min(pieceSize, in.length - i), out);
        d.finish(out);
        List<byte[]> got = new ArrayList<>();
        out.handOver((b, n) -> got.add(java.util.Arrays.copyOf(b, n)));
        return got.isEmpty() ? "" : new String(got.get(0), StandardCharsets.UTF_8);
    }

    @Test
    void linesStartingWithADotAreDoubledAndTheResponseEndsWithCrlfDotCrlf() {
        String msg = "Subject: x\r\n\r\n.\r\n..two\r\nmid.dle\r\n.\r\nend\r\n";
        String want = "Subject: x\r\n\r\n..\r\n...two\r\nmid.dle\r\n..\r\nend\r\n.\r\n";
        for (int piece : new int[] {1, 2, 3, 7, 1000}) assertEquals(want, stuff(msg, -1, piece), "piece " + piece);
    }

    @Test
    void aMessageWithoutFinalLineBreakGetsOneBeforeTheTerminator() {
        assertEquals("a: b\r\n\r\nlast\r\n.\r\n", stuff("a: b\r\n\r\nlast", -1, 4));
        assertEquals(".\r\n", stuff("", -1, 1));
    }

    @Test
    void topPassesTheHeaderTheBlankLineAndTheFirstBodyLines() {
        String msg = "From: a\r\nSubject: s\r\n\r\nl1\r\n.l2\r\nl3\r\n";
        for (int piece : new int[] {1, 5, 1000}) {
            assertEquals("From: a\r\nSubject: s\r\n\r\n.\r\n", stuff(msg, 0, piece));
            assertEquals("From: a\r\nSubject: s\r\n\r\nl1\r\n..l2\r\n.\r\n", stuff(msg, 2, piece));
            assertEquals(msg.replace("\r\n.l2", "\r\n..l2") + ".\r\n", stuff(msg, 99, piece));
        }
        // a header without a body: all of it, then the end
        assertEquals("From: a\r\n.\r\n", stuff("From: a\r\n", 0, 3));
    }

    @Test
    void decoderSplitsLinesAndReportsNulAndOverlongLines() {
        LineDecoder d = new LineDecoder();
        List<LineDecoder.Item> items = new ArrayList<>();
        byte[] in = ("USER a\r\nNO\0OP\r\n" + Fakes.repeat('x', LineDecoder.MAX_LINE) + "\r\nQUIT\r\nPA")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < in.length; i += 5) d.feed(in, i, Math.min(5, in.length - i), items::add);
        assertEquals(4, items.size());
        assertEquals("USER a", items.get(0).line());
        assertEquals(6, items.get(0).octets());
        assertEquals(Replies.NUL_IN_COMMAND, items.get(1).error());
        assertEquals(Replies.LINE_TOO_LONG, items.get(2).error());
        assertEquals("QUIT", items.get(3).line());
        assertEquals(2, d.pending());
        d.reset();
        d.feed("SS\r\n".getBytes(StandardCharsets.US_ASCII), 0, 4, items::add);
        assertEquals("SS", items.get(4).line());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void saslPlainAndLoginYieldCredentialsAndRefuseBadInput() {
        SaslExchange plain = SaslExchange.start("PLAIN");
        SaslExchange.Credentials c = assertInstanceOf(SaslExchange.Credentials.class,
                plain.begin(b64("\0alice@localhost\0pass word")));
        assertEquals("alice@localhost", c.login());
        assertEquals("pass word", new String(c.password()));
        assertEquals("", assertInstanceOf(SaslExchange.Challenge.class, SaslExchange.start("PLAIN").begin(null))
                .base64());
        assertTrue(assertInstanceOf(SaslExchange.Failure.class, SaslExchange.start("PLAIN").respond("!!")).badBase64());
        assertFalse(assertInstanceOf(SaslExchange.Failure.class,
                SaslExchange.start("PLAIN").respond(b64("bob\0alice\0pw"))).badBase64());

        SaslExchange login = SaslExchange.start("LOGIN");
        assertEquals(b64("Username:"), assertInstanceOf(SaslExchange.Challenge.class, login.begin(null)).base64());
        assertEquals(b64("Password:"), assertInstanceOf(SaslExchange.Challenge.class, login.respond(b64("bob")))
                .base64());
        SaslExchange.Credentials l = assertInstanceOf(SaslExchange.Credentials.class, login.respond(b64("pw")));
        assertEquals("bob", l.login());
        assertArrayEquals("pw".toCharArray(), l.password());
        assertNull(SaslExchange.start("CRAM-MD5"));
    }

    @Test
    void aMaildropLockIsExclusiveUntilReleasedAndUserIpConnectionsAreCounted() throws Exception {
        MailboxLocks locks = new MailboxLocks();
        MailboxLocks.Lease a = locks.tryLock("Alice@localhost");
        assertNotNull(a);
        assertNull(locks.tryLock("alice@LOCALHOST"));
        assertNotNull(locks.tryLock("bob@localhost"));
        a.release();
        a.release(); // a second release must not free someone else's lock
        MailboxLocks.Lease again = locks.tryLock("alice@localhost");
        assertNotNull(again);
        a.release();
        assertTrue(locks.isLocked("alice@localhost"));

        InetAddress ip = InetAddress.getByName("192.0.2.1");
        MailboxLocks.Lease one = locks.enterUserIp("alice@localhost", ip, 2);
        MailboxLocks.Lease two = locks.enterUserIp("alice@localhost", ip, 2);
        assertNotNull(one);
        assertNotNull(two);
        assertNull(locks.enterUserIp("alice@localhost", ip, 2));
        assertNotNull(locks.enterUserIp("alice@localhost", InetAddress.getByName("192.0.2.2"), 2));
        one.release();
        assertNotNull(locks.enterUserIp("alice@localhost", ip, 2));
    }

    @Test
    void settingsHaveDovecotDefaultsAndCollectBadValues() {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "org.mailhive.pop3.listener~pop3s");
        m.put("ssl", "yes");
        assertEquals("pop3s", ListenerSettings.listenerName(m));
        Settings s = new Settings(m);
        ListenerSettings p = ListenerSettings.read(s, "pop3s");
        assertTrue(s.ok());
        assertEquals(2995, p.port());
        assertTrue(p.ssl());
        assertEquals(Duration.ofMinutes(10), p.timeout());
        assertTrue(p.disablePlaintextAuth());
        assertEquals(8, p.workerThreads());
        assertEquals(Duration.ofSeconds(2), p.authFailureDelay());
        assertEquals(10, p.maxUserIpConnections());

        Settings bad = new Settings(Map.of("port", "x", "pop3_timeout", "soon", "ssl", "maybe"));
        ListenerSettings.read(bad, "pop3");
        assertEquals(3, bad.problems().size(), bad.problems().toString());
        assertEquals(2110, ListenerSettings.defaults("pop3").port());
    }

    @Test
    void repliesCarryResponseCodesAndStuffMultiLineBodies() {
        assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n", Replies.LOCKED.toWire());
        assertEquals("+OK\r\n", Replies.OK.toWire());
        assertEquals("+OK list\r\n1 2\r\n..x\r\n.\r\n", Reply.multi("list", List.of("1 2", ".x")).toWire());
    }

    @Test
    void mailLogLinesReadLikeDovecotsWithTheClientAddress() throws Exception {
        MailLog log = new MailLog("192.0.2.9", "127.0.0.1");
        assertEquals("pop3-login: Login: user=<alice@localhost>, method=PLAIN, rip=192.0.2.9, lip=127.0.0.1, TLS",
                log.loginLine("alice@localhost", "PLAIN", true));
        assertEquals("pop3-login: Aborted login (auth failed): user=<bob>, method=LOGIN, rip=192.0.2.9, lip=127.0.0.1",
                log.authFailedLine("bob", "LOGIN", false));
        Fakes.Store store = new Fakes.Store();
        store.inbox("alice@localhost").add("a\r\n");
        store.inbox("alice@localhost").add("bc\r\n");
        org.mailhive.api.store.Mailbox box = store.open(Fakes.LOCATOR.locate(
                new org.mailhive.api.users.MailUser("alice@localhost", "", Map.of())).orElseThrow());
        MailboxLocks locks = new MailboxLocks();
        Maildrop m = new Maildrop("alice@localhost", box, box.folder("INBOX"), locks.tryLock("alice@localhost"),
                locks.enterUserIp("alice@localhost", InetAddress.getLoopbackAddress(), 1));
        m.retrCount = 1;
        m.retrBytes = 3;
        assertEquals("pop3(alice@localhost)<192.0.2.9>: Disconnected: Logged out top=0/0, retr=1/3, del=1/2, size=7",
                log.logoutLine(m, "Logged out", 1));
        m.close();
        assertFalse(locks.isLocked("alice@localhost"));
    }
}
