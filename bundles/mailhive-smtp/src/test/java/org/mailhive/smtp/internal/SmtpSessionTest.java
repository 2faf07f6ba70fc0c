package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Verdict;
import org.junit.jupiter.api.Test;

/** The protocol logic without a socket: bytes in, reply text out. */
class SmtpSessionTest {

    private final TestFakes.Sink sink = new TestFakes.Sink();
    private final TestFakes.Services services = new TestFakes.Services(sink);
    private final TestFakes.FakeConnection conn = new TestFakes.FakeConnection();

    private SmtpSession session(String restrictions, long sizeLimit, int hardErrors) {
        SmtpSession s = new SmtpSession(services, TestFakes.settings(restrictions, sizeLimit, hardErrors), conn);
        s.open();
        assertEquals("220 mx.test ESMTP Mailhive\r\n", conn.take());
        return s;
    }

    private SmtpSession session() {
        services.checks.put("permit_test", new org.mailhive.api.smtp.Check() {
            @Override
            public Verdict onRecipient(org.mailhive.api.smtp.SmtpContext c, org.mailhive.api.mail.Recipient r) {
                return Verdict.PERMIT;
            }
        });
        // a name after a PERMIT is never looked up, so its absence does not matter
        return session("permit_test not_looked_up", 1000, 20);
    }

    private String send(SmtpSession s, String text) {
        byte[] b = TestFakes.ascii(text);
        s.receive(b, 0, b.length);
        return conn.take();
    }

    @Test
    void ehloAdvertisesExtensionsWithoutEnhancedCodes() {
        SmtpSession s = session();
        assertEquals("250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-ENHANCEDSTATUSCODES\r\n"
                + "250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n", send(s, "EHLO client.test\r\n"));
        assertEquals("250 mx.test\r\n", send(s, "HELO client.test\r\n"));
        assertEquals("501 5.5.4 Syntax: EHLO hostname\r\n", send(s, "EHLO\r\n"));
    }

    @Test
    void sequencingErrors() {
        SmtpSession s = session();
        assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        send(s, "EHLO c\r\n");
        assertEquals("503 5.5.1 Error: need MAIL command\r\n", send(s, "RCPT TO:<x@localhost>\r\n"));
        assertEquals("503 5.5.1 Error: need MAIL command\r\n", send(s, "DATA\r\n"));
        assertEquals("250 2.1.0 Ok\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("503 5.5.1 Error: nested MAIL command\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("554 5.5.1 Error: No valid recipients\r\n", send(s, "DATA\r\n"));
        assertEquals("250 2.0.0 Ok\r\n", send(s, "RSET\r\n"));
        assertEquals("250 2.1.0 Ok\r\n", send(s, "MAIL FROM:<>\r\n"));
    }

    @Test
    void unknownAndUnimplementedCommands() {
        SmtpSession s = session();
        assertEquals("500 5.5.2 Unknown command\r\n", send(s, "FOO bar\r\n"));
        assertEquals("502 5.5.1 Command not implemented\r\n", send(s, "EXPN staff\r\n"));
        assertEquals("252 2.5.2 Cannot VRFY user\r\n", send(s, "VRFY root\r\n"));
        assertTrue(send(s, "HELP\r\n").startsWith("214 2.0.0 "));
        assertEquals("250 2.0.0 Ok\r\n", send(s, "noop\r\n"));
    }

    @Test
    void pathAndParameterErrors() {
        SmtpSession s = session();
        send(s, "EHLO c\r\n");
        assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>\r\n", send(s, "MAIL TO:<a@b.test>\r\n"));
        assertEquals("501 5.1.7 Bad sender address syntax\r\n", send(s, "MAIL FROM:<a b@c>\r\n"));
        assertEquals("555 5.5.4 Unsupported parameter: FOO\r\n", send(s, "MAIL FROM:<a@b.test> FOO=1\r\n"));
        assertEquals("552 5.3.4 Message size exceeds fixed limit\r\n", send(s, "MAIL FROM:<a@b.test> SIZE=1001\r\n"));
        assertEquals("501 5.5.4 Bad parameter value: BODY\r\n", send(s, "MAIL FROM:<a@b.test> BODY=BINARY\r\n"));
        assertEquals("553 5.6.7 Must declare SMTPUTF8 to send unicode address\r\n",
                send(s, "MAIL FROM:<j\u00f6rg@b.test>\r\n".replace("\u00f6", "\u00c3\u00b6")));
        assertEquals("250 2.1.0 Ok\r\n",
                send(s, "MAIL FROM:<a@b.test> SIZE=1000 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ314159\r\n"));
        assertEquals("501 5.1.3 Bad recipient address syntax\r\n", send(s, "RCPT TO:<nodomain>\r\n"));
        assertEquals("501 5.1.3 Bad recipient address syntax\r\n", send(s, "RCPT TO:<>\r\n"));
        assertEquals("555 5.5.4 Unsupported parameter: XYZ\r\n", send(s, "RCPT TO:<x@localhost> XYZ\r\n"));
        assertEquals("250 2.1.5 Ok\r\n", send(s, "RCPT TO:<x@localhost> NOTIFY=NEVER\r\n"));
        assertEquals("250 2.1.5 Ok\r\n", send(s, "RCPT TO:<Postmaster>\r\n"));
        send(s, "DATA\r\n");
        send(s, "hi\r\n.\r\n");
        Envelope env = sink.envelopes.get(0);
        assertEquals("8BITMIME", env.attribute(Envelope.BODY, null));
        assertEquals("true", env.attribute(Envelope.SMTPUTF8, null));
        assertEquals("HDRS", env.attribute(Envelope.DSN_RET, null));
        assertEquals("QQ314159", env.attribute(Envelope.DSN_ENVID, null));
        assertEquals("postmaster@test", env.recipients().get(1).address().toString());
        assertEquals("NEVER", env.recipients().get(0).parameters().get("NOTIFY"));
    }

    @Test
    void fullTransactionQueuesUnstuffedContentWithEnvelope() {
        SmtpSession s = session();
        send(s, "EHLO client.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", send(s, "DATA\r\n"));
        String reply = send(s, "Subject: t\r\n\r\n..dot\r\n.\r\n");
        assertTrue(reply.matches("250 2\\.0\\.0 Ok: queued as [0-9A-F]+\r\n"), reply);
        assertEquals("Subject: t\r\n\r\n.dot\r\n", sink.onlyMessage());
        Envelope env = sink.envelopes.get(0);
        assertEquals("a@b.test", env.sender().toString());
        assertEquals("127.0.0.1", env.attribute(Envelope.CLIENT_ADDRESS, null));
        assertEquals("unknown", env.attribute(Envelope.CLIENT_NAME, null));
        assertEquals("client.test", env.attribute(Envelope.HELO, null));
        assertEquals("ESMTP", env.attribute(Envelope.PROTOCOL, null));
        assertEquals("test", env.attribute(Envelope.SOURCE, null));
        // the transaction is over: a new MAIL is not nested
        assertEquals("250 2.1.0 Ok\r\n", send(s, "MAIL FROM:<a@b.test>\r\n"));
        assertEquals("221 2.0.0 Bye\r\n", send(s, "QUIT\r\n"));
        assertTrue(conn.closed);
    }

    @Test
    void heloSessionIsPlainSmtp() {
        SmtpSession s = session();
        send(s, "HELO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\nx\r\n.\r\n");
        assertEquals("SMTP", sink.envelopes.get(0).attribute(Envelope.PROTOCOL, null));
    }

    @Test
    void recipientLimitAnswers452() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        String r = send(s, "RCPT TO:<a@localhost>\r\nRCPT TO:<b@localhost>\r\nRCPT TO:<c@localhost>\r\nRCPT TO:<d@localhost>\r\n");
        assertEquals("250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n452 4.5.3 Error: too many recipients\r\n", r);
    }

    @Test
    void restrictionsFirstDecisionWinsAndMissingCheckIs451() {
        services.checks.put("reject_bob", TestFakes.rejecting("bob@localhost"));
        services.checks.put("permit_all", new org.mailhive.api.smtp.Check() {
            @Override
            public Verdict onRecipient(org.mailhive.api.smtp.SmtpContext c, org.mailhive.api.mail.Recipient r) {
                return Verdict.PERMIT;
            }
        });
        SmtpSession s = session("reject_bob permit_all no_such_check", 1000, 20);
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("550 5.1.1 <bob@localhost>: Recipient address rejected: User unknown in local recipient table\r\n",
                send(s, "RCPT TO:<bob@localhost>\r\n"));
        assertEquals("250 2.1.5 Ok\r\n", send(s, "RCPT TO:<alice@localhost>\r\n"));

        SmtpSession missing = session("reject_bob no_such_check permit_all", 1000, 20);
        send(missing, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("451 4.3.5 Server configuration problem\r\n", send(missing, "RCPT TO:<alice@localhost>\r\n"));
    }

    @Test
    void unlistedRecipientIsRejectedEvenAfterPermit() {
        services.checks.put("permit_all", new org.mailhive.api.smtp.Check() {
            @Override
            public Verdict onRecipient(org.mailhive.api.smtp.SmtpContext c, org.mailhive.api.mail.Recipient r) {
                return Verdict.PERMIT;
            }
        });
        services.checks.put(ListenerSettings.UNLISTED_RECIPIENT_CHECK, TestFakes.rejecting("bob@localhost"));
        SmtpSession on = new SmtpSession(services, TestFakes.settings("permit_all", 1000, 20, true), conn);
        on.open();
        conn.take();
        send(on, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("550 5.1.1 <bob@localhost>: Recipient address rejected: User unknown in local recipient table\r\n",
                send(on, "RCPT TO:<bob@localhost>\r\n"));
        assertEquals("250 2.1.5 Ok\r\n", send(on, "RCPT TO:<alice@localhost>\r\n"));

        SmtpSession off = new SmtpSession(services, TestFakes.settings("permit_all", 1000, 20, false), conn);
        off.open();
        conn.take();
        send(off, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("250 2.1.5 Ok\r\n", send(off, "RCPT TO:<bob@localhost>\r\n"));
    }

    @Test
    void noSinkAnswers451AtData() {
        services.sink = null;
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("451 4.3.0 Mail system temporarily unavailable\r\n", send(s, "DATA\r\n"));
        assertEquals("250 2.0.0 Ok\r\n", send(s, "NOOP\r\n"));
    }

    @Test
    void sinkRefusalIsItsReply() {
        sink.failOpen = new MailException(SmtpReply.of(452, "4.3.1", "Insufficient system storage"), "disk full");
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("452 4.3.1 Insufficient system storage\r\n", send(s, "DATA\r\n"));
    }

    @Test
    void failedCommitIsTemporaryAndAborts() {
        sink.failCommit = MailException.temporary("fsync failed", null);
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\n");
        assertEquals("451 4.3.0 Temporary local problem, please try again later\r\n", send(s, "x\r\n.\r\n"));
        assertEquals(1, sink.aborted.get());
        assertTrue(sink.committed.isEmpty());
    }

    @Test
    void oversizedMessageIs552AndDropped() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\n");
        assertEquals("", send(s, ("y".repeat(98) + "\r\n").repeat(11)));
        assertEquals(1, sink.aborted.get());
        assertEquals("552 5.3.4 Message size exceeds fixed limit\r\n250 2.0.0 Ok\r\n", send(s, ".\r\nNOOP\r\n"));
        assertTrue(sink.committed.isEmpty());
    }

    @Test
    void bareLfMessageIs550AndSessionContinues() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\n");
        assertEquals("550 5.6.0 Message contains bare LF/CR (RFC 5321 section 2.3.8)\r\n250 2.1.0 Ok\r\n",
                send(s, "a\nb\r\n.\r\nMAIL FROM:<a@b.test>\r\n"));
        assertTrue(sink.committed.isEmpty());
        assertEquals(1, sink.aborted.get());
    }

    @Test
    void hardErrorLimitDisconnectsWith421() {
        SmtpSession s = session("permit", 1000, 3);
        String r = send(s, "FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n");
        assertEquals("500 5.5.2 Unknown command\r\n500 5.5.2 Unknown command\r\n500 5.5.2 Unknown command\r\n"
                + "421 4.7.0 mx.test Error: too many errors\r\n", r);
        assertTrue(conn.closed);
    }

    @Test
    void idleTimeoutIs421AndClose() {
        SmtpSession s = session();
        s.idle();
        assertEquals("421 4.4.2 mx.test Error: timeout exceeded\r\n", conn.take());
        assertTrue(conn.closed);
    }

    @Test
    void connectionLostDuringDataAbortsTheDraft() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\nDATA\r\npartial");
        s.closed();
        assertEquals(1, sink.aborted.get());
        assertTrue(sink.committed.isEmpty());
        assertFalse(sink.envelopes.isEmpty());
    }

    @Test
    void contextExposesTransactionToChecks() {
        String[] seen = new String[1];
        services.checks.put("spy", new org.mailhive.api.smtp.Check() {
            @Override
            public Verdict onRecipient(org.mailhive.api.smtp.SmtpContext c, org.mailhive.api.mail.Recipient r) {
                seen[0] = c.listener() + " " + c.helo() + " " + c.sender() + " " + c.recipients().size() + " "
                        + c.clientAddress().getHostAddress() + " " + c.tls() + " " + c.authenticatedUser().isPresent();
                return Verdict.DUNNO;
            }
        });
        SmtpSession s = session("spy reject_unauth_destination_unused", 1000, 20);
        send(s, "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\n");
        services.checks.put("reject_unauth_destination_unused", new org.mailhive.api.smtp.Check() { });
        send(s, "RCPT TO:<x@localhost>\r\nRCPT TO:<y@localhost>\r\n");
        assertEquals("test c.test a@b.test 1 127.0.0.1 false false", seen[0]);
    }
}
