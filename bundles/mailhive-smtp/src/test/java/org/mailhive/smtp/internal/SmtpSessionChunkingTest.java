package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.mailhive.api.config.Settings;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.junit.jupiter.api.Test;

/** BDAT, DSN parameters, restriction lists and per-transaction settings, on the session without a socket. */
class SmtpSessionChunkingTest {

    private final TestFakes.Sink sink = new TestFakes.Sink();
    private final TestFakes.Services services = new TestFakes.Services(sink);
    private final TestFakes.FakeConnection conn = new TestFakes.FakeConnection();
    private final List<String> calls = new ArrayList<>();

    SmtpSessionChunkingTest() {
        services.checks.put("permit_test", new Check() {
            @Override
            public Verdict onRecipient(SmtpContext c, Recipient r) {
                return Verdict.PERMIT;
            }
        });
    }

    private SmtpSession session(ListenerSettings settings) {
        SmtpSession s = new SmtpSession(services, settings, conn);
        s.open();
        conn.take();
        return s;
    }

    private SmtpSession session() {
        return session(TestFakes.settings("permit_test", 1000, 50, false, 1000, SessionPolicy.defaults("mta")));
    }

    private String send(SmtpSession s, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        s.receive(b, 0, b.length);
        return conn.take();
    }

    @Test
    void chunksAreAnsweredEachAndTheLastCommits() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("250 2.0.0 9 octets received\r\n", send(s, "BDAT 9\r\nSubject: "));
        // binary and dot lines go through untouched; the chunk may span reads
        assertEquals("", send(s, "BDAT 15 LAST\r\nt\r\n\r\n.\0"));
        String r = send(s, "x\r\n.\r\n\r\n");
        assertTrue(r.matches("250 2\\.0\\.0 Ok: queued as [0-9A-F]+\r\n"), r);
        assertEquals("Subject: t\r\n\r\n.\0x\r\n.\r\n\r\n", sink.onlyMessage());
        assertEquals("503 5.5.1 Error: need MAIL command\r\n", send(s, "BDAT 0 LAST\r\n"));
    }

    @Test
    void refusedChunksAreStillConsumed() {
        SmtpSession s = session();
        send(s, "EHLO c\r\n");
        assertEquals("503 5.5.1 Error: need MAIL command\r\n250 2.0.0 Ok\r\n", send(s, "BDAT 6\r\nQUIT\r\nNOOP\r\n"));
        send(s, "MAIL FROM:<a@b.test>\r\n");
        assertEquals("554 5.5.1 Error: No valid recipients\r\n", send(s, "BDAT 6 LAST\r\nRSET\r\n"));
        send(s, "RSET\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("250 2.0.0 2 octets received\r\n", send(s, "BDAT 2\r\nhi"));
        assertEquals("503 5.5.1 Error: DATA not allowed after BDAT\r\n", send(s, "DATA\r\n"));
        assertTrue(send(s, "BDAT 0 LAST\r\n").startsWith("250 2.0.0 Ok: queued as "));
        assertEquals("hi", sink.onlyMessage());
    }

    @Test
    void chunkOverTheLimitIsConsumedAnd552() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("250 2.0.0 600 octets received\r\n", send(s, "BDAT 600\r\n" + "a".repeat(600)));
        assertEquals("552 5.3.4 Message size exceeds fixed limit\r\n250 2.0.0 Ok\r\n",
                send(s, "BDAT 600 LAST\r\n" + "b".repeat(600) + "NOOP\r\n"));
        assertTrue(sink.committed.isEmpty());
        assertEquals(1, sink.aborted.get());
    }

    @Test
    void badChunkSizeClosesTheConnection() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("501 5.5.4 Syntax: BDAT chunk-size [LAST]\r\n", send(s, "BDAT ten LAST\r\nNOOP\r\n"));
        assertTrue(conn.closed);
    }

    @Test
    void sizeLieEatsTheCommandsAsData() {
        SmtpSession s = session();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@localhost>\r\n");
        assertEquals("", send(s, "BDAT 100 LAST\r\nshort\r\nQUIT\r\n"));
        assertTrue(sink.committed.isEmpty());
        s.closed();
        assertEquals(1, sink.aborted.get());
    }

    @Test
    void dsnParametersAreCheckedAndCarried() {
        SmtpSession s = session();
        send(s, "EHLO c\r\n");
        assertEquals("501 5.5.4 Bad parameter value: RET\r\n", send(s, "MAIL FROM:<a@b.test> RET=ALL\r\n"));
        assertEquals("501 5.5.4 Bad parameter value: ENVID\r\n", send(s, "MAIL FROM:<a@b.test> ENVID=a+zz\r\n"));
        assertEquals("250 2.1.0 Ok\r\n", send(s, "MAIL FROM:<a@b.test> RET=FULL ENVID=id+2B1\r\n"));
        assertEquals("501 5.5.4 Bad parameter value: NOTIFY\r\n",
                send(s, "RCPT TO:<x@localhost> NOTIFY=NEVER,DELAY\r\n"));
        assertEquals("501 5.5.4 Bad parameter value: NOTIFY\r\n",
                send(s, "RCPT TO:<x@localhost> NOTIFY=SOMETIMES\r\n"));
        assertEquals("501 5.5.4 Bad parameter value: ORCPT\r\n", send(s, "RCPT TO:<x@localhost> ORCPT=x@y\r\n"));
        assertEquals("250 2.1.5 Ok\r\n",
                send(s, "RCPT TO:<x@localhost> NOTIFY=success,delay ORCPT=rfc822;x+2Bext@localhost\r\n"));
        send(s, "DATA\r\nhi\r\n.\r\n");
        Envelope env = sink.envelopes.get(0);
        assertEquals("FULL", env.attribute(Envelope.DSN_RET, null));
        assertEquals("id+2B1", env.attribute(Envelope.DSN_ENVID, null));
        assertEquals("SUCCESS,DELAY", env.recipients().get(0).parameters().get(Recipient.NOTIFY));
        assertEquals("rfc822;x+2Bext@localhost", env.recipients().get(0).parameters().get(Recipient.ORCPT));
    }

    @Test
    void thousandRecipientsAreTakenUpToTheLimit() {
        SmtpSession s = session();
        StringBuilder batch = new StringBuilder("EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        for (int i = 0; i <= 1000; i++) batch.append("RCPT TO:<u").append(i).append("@localhost>\r\n");
        String r = send(s, batch.toString());
        assertEquals(1000, r.split("250 2.1.5 Ok\r\n", -1).length - 1);
        assertTrue(r.endsWith("452 4.5.3 Error: too many recipients\r\n"), r.substring(r.length() - 80));
        send(s, "DATA\r\nx\r\n.\r\n");
        assertEquals(1000, sink.envelopes.get(0).recipients().size());
    }

    private Check recording(String name, Verdict verdict) {
        return new Check() {
            @Override
            public Verdict onRecipient(SmtpContext c, Recipient r, String argument) {
                calls.add(name + (argument == null ? "" : "(" + argument + ")"));
                return verdict;
            }
        };
    }

    @Test
    void listsRunClientHeloSenderRecipientAndPermitEndsOnlyItsList() {
        services.checks.put("c_permit", recording("c_permit", Verdict.PERMIT));
        services.checks.put("c_never", recording("c_never", Verdict.DUNNO));
        services.checks.put("rbl", recording("rbl", Verdict.DUNNO));
        services.checks.put("s_dunno", recording("s_dunno", Verdict.DUNNO));
        services.checks.put("r_reject", recording("r_reject",
                Verdict.reject(SmtpReply.of(554, "5.7.1", "Relay access denied"))));
        services.checks.put("r_after", recording("r_after", Verdict.DUNNO));
        services.checks.put("reject_unauth_destination", new Check() { });
        Settings cfg = new Settings(java.util.Map.of("smtpd_client_restrictions", "rbl zen.example, c_permit, c_never",
                "smtpd_sender_restrictions", "s_dunno",
                "smtpd_recipient_restrictions", "r_reject reject_unauth_destination r_after",
                "smtpd_reject_unlisted_recipient", "no"));
        ListenerSettings settings = ListenerSettings.read(cfg, "mta");
        assertTrue(cfg.ok(), cfg.problems().toString());
        SmtpSession s = session(settings);
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("554 5.7.1 Relay access denied\r\n", send(s, "RCPT TO:<x@remote.test>\r\n"));
        assertEquals(List.of("rbl(zen.example)", "c_permit", "s_dunno", "r_reject"), calls);
    }

    @Test
    void rejectInAnEarlierListEndsEverything() {
        services.checks.put("c_reject", recording("c_reject",
                Verdict.reject(SmtpReply.of(554, "5.7.1", "Client host rejected"))));
        services.checks.put("r", recording("r", Verdict.PERMIT));
        SessionPolicy p = new SessionPolicy("mta", false, "may", false, true, false, java.time.Duration.ZERO, 5, 50,
                Restriction.parse(List.of("c_reject")), List.of(), List.of());
        SmtpSession s = session(TestFakes.settings("r", 1000, 50, false, 10, p));
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("554 5.7.1 Client host rejected\r\n", send(s, "RCPT TO:<x@localhost>\r\n"));
        assertEquals(List.of("c_reject"), calls);
    }

    @Test
    void aChangedListAppliesToTheNextTransaction() {
        services.checks.put("r_reject", recording("r_reject",
                Verdict.reject(SmtpReply.of(554, "5.7.1", "Relay access denied"))));
        AtomicReference<ListenerSettings> current = new AtomicReference<>(
                TestFakes.settings("permit_test", 1000, 50, false, 10, SessionPolicy.defaults("mta")));
        SmtpSession s = new SmtpSession(services, current.get(), current::get, conn);
        s.open();
        send(s, "EHLO c\r\nMAIL FROM:<a@b.test>\r\n");
        current.set(TestFakes.settings("r_reject", 1000, 50, false, 10, SessionPolicy.defaults("mta")));
        assertEquals("250 2.1.5 Ok\r\n", send(s, "RCPT TO:<x@localhost>\r\n"));
        send(s, "RSET\r\nMAIL FROM:<a@b.test>\r\n");
        assertEquals("554 5.7.1 Relay access denied\r\n", send(s, "RCPT TO:<x@localhost>\r\n"));
    }
}
