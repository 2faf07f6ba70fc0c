package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.Verdict;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.TlsFixture;

/** STARTTLS, AUTH and the submission rules, on the session without a socket. */
class SmtpSessionTlsAuthTest {

    private final TestFakes.Sink sink = new TestFakes.Sink();
    private final TestFakes.Services services = new TestFakes.Services(sink);
    private final TestFakes.FakeConnection conn = new TestFakes.FakeConnection();

    SmtpSessionTlsAuthTest() {
        services.tls = TlsFixture.INSTANCE;
        services.authenticator = TestFakes.ALICE;
        services.checks.put("permit_test", new Check() {
            @Override
            public Verdict onRecipient(org.mailhive.api.smtp.SmtpContext c, org.mailhive.api.mail.Recipient r) {
                return Verdict.PERMIT;
            }
        });
    }

    private static SessionPolicy policy(String level, boolean sasl, boolean authOnly, boolean required,
            Duration delay) {
        return new SessionPolicy("test", false, level, sasl, authOnly, required, delay, 5, 50, List.of(), List.of(),
                List.of());
    }

    private SmtpSession session(SessionPolicy policy) {
        SmtpSession s = new SmtpSession(services, TestFakes.settings("permit_test", 1000, 50, false, 10, policy),
                conn);
        s.open();
        conn.take();
        return s;
    }

    private String send(SmtpSession s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.receive(b, 0, b.length, s.tlsActive());
        return conn.take();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ehloOffersStartTlsAndAuthInOrderAndNotStartTlsInsideTls() {
        SmtpSession s = session(policy("may", true, true, false, Duration.ZERO));
        assertEquals("250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
                send(s, "EHLO c\r\n"));
        send(s, "STARTTLS\r\n");
        String ehlo = send(s, "EHLO c\r\n");
        assertFalse(ehlo.contains("STARTTLS"), ehlo);
        assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN\r\n"), ehlo);
    }

    @Test
    void startTlsSendsThe220InPlaintextDropsPipelinedInputAndForgetsTheSession() {
        SmtpSession s = session(policy("may", true, true, false, Duration.ZERO));
        String out = send(s, "EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<v@remote.test>\r\n");
        assertTrue(conn.tlsStartedWith.endsWith("250 CHUNKING\r\n220 2.0.0 Ready to start TLS\r\n"),
                conn.tlsStartedWith);
        assertTrue(out.endsWith("220 2.0.0 Ready to start TLS\r\n"), out);
        // plaintext that arrives in a later read but was sent before the handshake: dropped too
        byte[] late = "RCPT TO:<w@remote.test>\r\n".getBytes(StandardCharsets.US_ASCII);
        s.receive(late, 0, late.length, false);
        assertEquals("", conn.take());
        assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("503 5.5.1 Error: TLS already active\r\n", send(s, "STARTTLS\r\n"));
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\nhi\r\n.\r\n");
        Envelope env = sink.envelopes.get(0);
        assertEquals("ESMTPS", env.attribute(Envelope.PROTOCOL, null));
        assertEquals("TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", env.attribute(Envelope.TLS, null));
        assertEquals(1, env.recipients().size());
    }

    @Test
    void startTlsErrors() {
        SmtpSession s = session(policy("may", false, true, false, Duration.ZERO));
        send(s, "EHLO c\r\n");
        assertEquals("501 5.5.4 Syntax: no parameters allowed\r\n", send(s, "STARTTLS now\r\n"));
        send(s, "MAIL FROM:<a@b.test>\r\n");
        assertEquals("503 5.5.1 Error: MAIL transaction in progress\r\n", send(s, "STARTTLS\r\n"));
        send(s, "RSET\r\n");
        services.tls = null;
        assertFalse(send(s, "EHLO c\r\n").contains("STARTTLS"));
        assertEquals("454 4.7.0 TLS not available due to local problem\r\n", send(s, "STARTTLS\r\n"));
        SmtpSession none = session(policy("none", false, true, false, Duration.ZERO));
        assertEquals("502 5.5.1 Command not implemented\r\n", send(none, "STARTTLS\r\n"));
    }

    @Test
    void encryptLevelRefusesMailAndAuthBeforeTls() {
        SmtpSession s = session(policy("encrypt", true, true, true, Duration.ZERO));
        String ehlo = send(s, "EHLO c\r\n");
        assertFalse(ehlo.contains("AUTH"), ehlo);
        assertEquals("530 5.7.0 Must issue a STARTTLS command first\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("530 5.7.0 Must issue a STARTTLS command first\r\n",
                send(s, "AUTH PLAIN " + b64("\0a\0b") + "\r\n"));
        send(s, "STARTTLS\r\n");
        send(s, "EHLO c\r\n");
        assertEquals("530 5.7.0 Authentication required\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("235 2.7.0 Authentication successful\r\n",
                send(s, "AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
        send(s, "MAIL FROM:<alice@localhost>\r\nRCPT TO:<x@remote.test>\r\nDATA\r\nhi\r\n.\r\n");
        Envelope env = sink.envelopes.get(0);
        assertEquals("ESMTPSA", env.attribute(Envelope.PROTOCOL, null));
        assertEquals("alice@localhost", env.attribute(Envelope.AUTH_USER, null));
        assertEquals("hi\r\n", sink.onlyMessage());
    }

    @Test
    void authPlainWithChallengeAndLogin() {
        SmtpSession s = session(policy("may", true, false, false, Duration.ZERO));
        send(s, "EHLO c\r\n");
        assertEquals("334 \r\n", send(s, "AUTH PLAIN\r\n"));
        assertEquals("235 2.7.0 Authentication successful\r\n",
                send(s, b64("alice@localhost\0alice@localhost\0secret1") + "\r\n"));
        assertEquals("503 5.5.1 Error: already authenticated\r\n", send(s, "AUTH LOGIN\r\n"));
        assertEquals(List.of("alice@localhost"), List.of(s.authenticatedUser().orElseThrow()));

        SmtpSession l = session(policy("may", true, false, false, Duration.ZERO));
        send(l, "EHLO c\r\n");
        assertEquals("334 VXNlcm5hbWU6\r\n", send(l, "AUTH LOGIN\r\n"));
        assertEquals("334 UGFzc3dvcmQ6\r\n", send(l, b64("alice@localhost") + "\r\n"));
        assertEquals("235 2.7.0 Authentication successful\r\n", send(l, b64("secret1") + "\r\n"));
        send(l, "MAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\nhi\r\n.\r\n");
        assertEquals("ESMTPA", sink.envelopes.get(0).attribute(Envelope.PROTOCOL, null));
    }

    @Test
    void authErrors() {
        SmtpSession s = session(policy("may", true, false, false, Duration.ZERO));
        assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", send(s, "AUTH PLAIN\r\n"));
        send(s, "EHLO c\r\n");
        assertEquals("504 5.5.4 Unrecognized authentication type\r\n", send(s, "AUTH CRAM-MD5\r\n"));
        assertEquals("501 5.5.4 Syntax: AUTH mechanism [initial-response]\r\n", send(s, "AUTH\r\n"));
        send(s, "AUTH PLAIN\r\n");
        assertEquals("501 5.0.0 Authentication aborted\r\n", send(s, "*\r\n"));
        assertEquals("501 5.5.2 Cannot decode response\r\n", send(s, "AUTH PLAIN !!notbase64!!\r\n"));
        send(s, "MAIL FROM:<a@b.test>\r\n");
        assertEquals("503 5.5.1 Error: MAIL transaction in progress\r\n", send(s, "AUTH PLAIN\r\n"));
        SmtpSession off = session(policy("may", false, true, false, Duration.ZERO));
        send(off, "EHLO c\r\n");
        assertEquals("503 5.5.1 Error: authentication not enabled\r\n", send(off, "AUTH PLAIN\r\n"));
    }

    @Test
    void noAuthenticatorMeansNoAuthAnd454() {
        services.authenticator = null;
        SmtpSession s = session(policy("may", true, false, false, Duration.ZERO));
        assertFalse(send(s, "EHLO c\r\n").contains("AUTH"));
        assertEquals("454 4.7.0 Temporary authentication failure\r\n", send(s, "AUTH PLAIN\r\n"));
    }

    @Test
    void plaintextAuthFromAnotherHostIs538UnlessAllowed() throws Exception {
        conn.remote = InetAddress.getByName("192.0.2.7");
        SmtpSession s = session(policy("may", true, true, false, Duration.ZERO));
        String ehlo = send(s, "EHLO c\r\n");
        assertFalse(ehlo.contains("AUTH"), ehlo);
        assertEquals("538 5.7.11 Encryption required for requested authentication mechanism\r\n",
                send(s, "AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
        send(s, "STARTTLS\r\n");
        send(s, "EHLO c\r\n");
        assertEquals("235 2.7.0 Authentication successful\r\n",
                send(s, "AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
        SmtpSession allowed = session(policy("may", true, false, false, Duration.ZERO));
        send(allowed, "EHLO c\r\n");
        assertEquals("235 2.7.0 Authentication successful\r\n",
                send(allowed, "AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
    }

    @Test
    void failedAuthIsAnsweredLaterWithoutWaitingAndInputWaitsBehindIt() {
        SmtpSession s = session(policy("may", true, false, false, Duration.ofSeconds(2)));
        send(s, "EHLO c\r\n");
        assertEquals("", send(s, "AUTH PLAIN " + b64("\0alice@localhost\0wrong") + "\r\nNOOP\r\n"));
        assertEquals(Duration.ofSeconds(2), conn.resumeDelay);
        assertTrue(s.paused());
        assertEquals("", send(s, "RSET\r\n"));
        s.resume();
        assertEquals("535 5.7.8 Authentication credentials invalid\r\n250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n", conn.take());
        assertFalse(conn.closed);
        assertEquals(1, services.failures.recent(conn.remote));
    }

    @Test
    void fifthFailureIs421AndTheAddressIsThenRefused() {
        SmtpSession s = session(policy("may", true, false, false, Duration.ZERO));
        send(s, "EHLO c\r\n");
        for (int i = 0; i < 4; i++) {
            assertEquals("535 5.7.8 Authentication credentials invalid\r\n",
                    send(s, "AUTH PLAIN " + b64("\0alice@localhost\0wrong" + i) + "\r\n"));
        }
        assertEquals("334 UGFzc3dvcmQ6\r\n", send(s, "AUTH LOGIN " + b64("alice@localhost") + "\r\n"));
        assertEquals("535 5.7.8 Authentication credentials invalid\r\n421 4.7.0 mx.test Too many authentication"
                + " failures\r\n", send(s, b64("bad") + "\r\nNOOP\r\n"));
        assertTrue(conn.closed);
        conn.closed = false;
        SmtpSession again = session(policy("may", true, false, false, Duration.ZERO));
        send(again, "EHLO c\r\n");
        assertEquals("454 4.7.0 Too many authentication failures from this address, try again later\r\n",
                send(again, "AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n"));
    }

    @Test
    void submissionRequiresAuthBeforeMail() {
        SmtpSession s = session(policy("may", true, false, true, Duration.ZERO));
        send(s, "EHLO c\r\n");
        assertEquals("530 5.7.0 Authentication required\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        send(s, "AUTH PLAIN " + b64("\0alice@localhost\0secret1") + "\r\n");
        assertEquals("250 2.1.0 Ok\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("alice@localhost", s.authenticatedUser().orElse(null));
        assertNull(s.tlsDescription());
    }
}
