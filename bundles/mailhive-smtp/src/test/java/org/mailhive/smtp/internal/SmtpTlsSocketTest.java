package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.smtp.Check;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.TlsFixture;

/** TLS, AUTH, CHUNKING and hostile input against a real listener on 127.0.0.1. */
class SmtpTlsSocketTest {

    private final TestFakes.Sink sink = new TestFakes.Sink();
    private SmtpListener listener;

    @BeforeEach
    void start() {
        listener = new SmtpListener(TestFakes.IDENTITY, sink);
        listener.setTls(TlsFixture.INSTANCE);
        listener.setAuthenticator(TestFakes.ALICE);
        listener.bindCheck(TestFakes.rejecting("nobody@localhost"), Map.of(Check.NAME, "reject_unknown_recipient",
                "service.id", 7L));
        listener.bindCheck(new Check() { }, Map.of(Check.NAME, "reject_unauth_destination", "service.id", 8L));
    }

    @AfterEach
    void stop() {
        listener.deactivate();
    }

    private int configure(String name, String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "org.mailhive.smtp.listener~" + name);
        m.put("bind", "127.0.0.1");
        m.put("port", "0");
        m.put("smtpd_recipient_restrictions", "reject_unauth_destination, reject_unknown_recipient");
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        listener.configure(m);
        assertTrue(listener.localPort() > 0);
        return listener.localPort();
    }

    private SocketClient connect(int port, boolean implicitTls) throws Exception {
        SocketClient c = new SocketClient(port, implicitTls);
        assertEquals("220 mx.test ESMTP Mailhive\r\n", c.reply());
        return c;
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void startTlsUpgradesTheConnectionAndTheEnvelopeSaysSo() throws Exception {
        int port = configure("mta");
        try (SocketClient c = connect(port, false)) {
            String ehlo = c.command("EHLO client.test");
            assertTrue(ehlo.contains("250-STARTTLS\r\n"), ehlo);
            assertFalse(ehlo.contains("AUTH"), ehlo);
            assertEquals("220 2.0.0 Ready to start TLS\r\n", c.command("STARTTLS"));
            c.upgrade();
            assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", c.command("MAIL FROM:<s@remote.test>"));
            String again = c.command("EHLO client.test");
            assertFalse(again.contains("STARTTLS"), again);
            assertEquals("503 5.5.1 Error: TLS already active\r\n", c.command("STARTTLS"));
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<alice@localhost>");
            c.command("DATA");
            assertTrue(c.command("secret\r\n.").startsWith("250 2.0.0 Ok: queued as "));
        }
        Envelope env = sink.envelopes.get(0);
        assertEquals("ESMTPS", env.attribute(Envelope.PROTOCOL, null));
        assertTrue(env.attribute(Envelope.TLS, "").matches("TLSv1\\.[23] with cipher TLS_\\w+"),
                env.attribute(Envelope.TLS, ""));
        assertEquals("secret\r\n", sink.onlyMessage());
    }

    @Test
    void plaintextPipelinedBehindStartTlsIsNeverExecuted() throws Exception {
        int port = configure("mta");
        try (SocketClient c = connect(port, false)) {
            c.command("EHLO client.test");
            c.send("STARTTLS\r\nMAIL FROM:<evil@remote.test>\r\nRCPT TO:<alice@localhost>\r\n");
            assertEquals("220 2.0.0 Ready to start TLS\r\n", c.reply());
            c.upgrade();
            c.command("EHLO client.test");
            // had the injected MAIL been taken, this would be a nested MAIL
            assertEquals("503 5.5.1 Error: need MAIL command\r\n", c.command("RCPT TO:<alice@localhost>"));
            assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
        }
        assertTrue(sink.envelopes.isEmpty());
    }

    @Test
    void smtpsSpeaksTlsFromTheFirstByteAndAuthenticates() throws Exception {
        int port = configure("smtps");
        try (SocketClient c = connect(port, true)) {
            String ehlo = c.command("EHLO client.test");
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN\r\n"), ehlo);
            // smtps takes mail without AUTH (for local users; relaying is up to the restrictions)
            assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<alice@localhost>"));
            assertEquals("250 2.0.0 Ok\r\n", c.command("RSET"));
            assertEquals("235 2.7.0 Authentication successful\r\n",
                    c.command("AUTH PLAIN " + plain("alice@localhost", "secret1")));
            c.command("MAIL FROM:<alice@localhost>");
            assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<friend@remote.test>"));
            c.command("DATA");
            assertTrue(c.command("hi\r\n.").startsWith("250 2.0.0 Ok: queued as "));
        }
        Envelope env = sink.envelopes.get(0);
        assertEquals("ESMTPSA", env.attribute(Envelope.PROTOCOL, null));
        assertEquals("alice@localhost", env.attribute(Envelope.AUTH_USER, null));
        assertEquals("smtps", env.attribute(Envelope.SOURCE, null));
    }

    @Test
    void smtpsWithoutTlsProviderRefusesConnections() throws Exception {
        int port = configure("smtps");
        listener.setTls(null);
        try (SocketClient c = new SocketClient(port, false)) {
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void submissionWantsTlsThenAuth() throws Exception {
        int port = configure("submission");
        try (SocketClient c = connect(port, false)) {
            c.command("EHLO client.test");
            assertEquals("530 5.7.0 Must issue a STARTTLS command first\r\n", c.command("MAIL FROM:<a@localhost>"));
            c.command("STARTTLS");
            c.upgrade();
            assertTrue(c.command("EHLO client.test").contains("250-AUTH PLAIN LOGIN\r\n"));
            assertEquals("334 VXNlcm5hbWU6\r\n", c.command("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQ6\r\n", c.command(b64("alice@localhost")));
            assertEquals("235 2.7.0 Authentication successful\r\n", c.command(b64("secret1")));
            assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<alice@localhost>"));
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void failedAuthIsDelayedWhileTheOnlyWorkerServesOthers() throws Exception {
        int port = configure("auth", "smtpd_sasl_auth_enable", "yes", "smtpd_tls_auth_only", "no",
                "smtpd_worker_threads", "1", "smtpd_auth_failure_delay", "2s");
        try (SocketClient a = connect(port, false)) {
            a.command("EHLO a.test");
            long t0 = System.nanoTime();
            a.send("AUTH PLAIN " + plain("alice@localhost", "wrong") + "\r\n");
            // with one worker thread, a sleeping worker would hold this greeting back until after the 535
            try (SocketClient b = connect(port, false)) {
                assertEquals("250 2.0.0 Ok\r\n", b.command("NOOP"));
            }
            assertEquals(0, a.in.available(), "the 535 came before another client was served");
            assertEquals("535 5.7.8 Authentication credentials invalid\r\n", a.reply());
            long answered = System.nanoTime() - t0;
            assertTrue(answered >= TimeUnit.MILLISECONDS.toNanos(1900), "535 came after " + answered);
            assertEquals("250 2.0.0 Ok\r\n", a.command("NOOP"));
        }
    }

    @Test
    void fiveFailuresEndTheSessionWith421() throws Exception {
        int port = configure("auth", "smtpd_sasl_auth_enable", "yes", "smtpd_tls_auth_only", "no",
                "smtpd_auth_failure_delay", "0s");
        try (SocketClient c = connect(port, false)) {
            c.command("EHLO a.test");
            for (int i = 0; i < 4; i++) {
                assertEquals("535 5.7.8 Authentication credentials invalid\r\n",
                        c.command("AUTH PLAIN " + plain("alice@localhost", "bad" + i)));
            }
            c.send("AUTH PLAIN " + plain("alice@localhost", "bad5") + "\r\n");
            assertEquals("535 5.7.8 Authentication credentials invalid\r\n", c.reply());
            assertEquals("421 4.7.0 mx.test Too many authentication failures\r\n", c.reply());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void chunkingOverTheWire() throws Exception {
        int port = configure("mta");
        try (SocketClient c = connect(port, false)) {
            assertTrue(c.command("EHLO client.test").contains("250 CHUNKING\r\n"));
            c.send("MAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@localhost>\r\nBDAT 5\r\nHello");
            assertEquals("250 2.1.0 Ok\r\n", c.reply());
            assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertEquals("250 2.0.0 5 octets received\r\n", c.reply());
            c.send("BDAT 3 LAST\r\n!\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
            assertEquals("501 5.5.4 Syntax: BDAT chunk-size [LAST]\r\n", c.command("BDAT many"));
            assertTrue(c.closedByServer());
        }
        assertEquals("Hello!\r\n", sink.onlyMessage());
    }

    @Test
    void tenMegabyteLineAndNulAreRefusedAndTheSessionGoesOn() throws Exception {
        int port = configure("mta", "smtpd_hard_error_limit", "100");
        try (SocketClient c = connect(port, false)) {
            byte[] block = "y".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 10; i++) c.send(block);
            assertEquals("500 5.5.2 Line too long\r\n", c.command(""));
            assertEquals("500 5.5.2 NUL character in command\r\n", c.command("NO\0OP"));
            assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
        }
    }

    @Test
    void aThousandPipelinedRecipients() throws Exception {
        int port = configure("mta", "smtpd_recipient_limit", "1000");
        try (SocketClient c = connect(port, false)) {
            c.command("EHLO client.test");
            StringBuilder batch = new StringBuilder("MAIL FROM:<s@remote.test>\r\n");
            for (int i = 0; i < 1000; i++) batch.append("RCPT TO:<u").append(i).append("@localhost>\r\n");
            c.send(batch + "DATA\r\n");
            assertEquals("250 2.1.0 Ok\r\n", c.reply());
            for (int i = 0; i < 1000; i++) assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", c.reply());
            assertTrue(c.command("x\r\n.").startsWith("250 2.0.0 Ok: queued as "));
        }
        assertEquals(1000, sink.envelopes.get(0).recipients().size());
    }

    @Test
    void connectionsPerClientAreLimited() throws Exception {
        int port = configure("mta", "smtpd_client_connection_count_limit", "2");
        try (SocketClient a = connect(port, false); SocketClient b = connect(port, false)) {
            try (SocketClient c = new SocketClient(port, false)) {
                assertEquals("421 4.7.0 Too many connections from 127.0.0.1\r\n", c.reply());
                assertTrue(c.closedByServer());
            }
            a.command("QUIT");
            assertTrue(a.closedByServer());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String greeting = "";
            while (System.nanoTime() < deadline) {
                try (SocketClient d = new SocketClient(port, false)) {
                    greeting = d.reply();
                    if (greeting.startsWith("220 ")) break;
                }
            }
            assertEquals("220 mx.test ESMTP Mailhive\r\n", greeting);
            assertEquals("250 2.0.0 Ok\r\n", b.command("NOOP"));
        }
    }

    @Test
    void chunkSizeLieEatsTheCommandsUntilTheIdleTimeout() throws Exception {
        int port = configure("mta", "smtpd_timeout", "1s");
        try (SocketClient c = connect(port, false)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<alice@localhost>");
            c.send("BDAT 100 LAST\r\nshort\r\nQUIT\r\n");
            assertEquals("421 4.4.2 mx.test Error: timeout exceeded\r\n", c.reply());
            assertTrue(c.closedByServer());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.aborted.get() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(1, sink.aborted.get());
        assertTrue(sink.committed.isEmpty());
    }
}
