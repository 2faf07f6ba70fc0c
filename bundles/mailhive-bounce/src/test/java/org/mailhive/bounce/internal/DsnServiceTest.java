package org.mailhive.bounce.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.QueueId;

class DsnServiceTest {

    static final QueueId ID = new QueueId("3F2A9C1B07");
    static final Instant NOW = Instant.parse("2026-03-02T08:30:00Z");
    static final String HEADERS = "Received: from client by mail.example.org\r\nFrom: Alice <alice@example.org>\r\n"
            + "Subject: quarterly numbers\r\nMessage-ID: <m1@example.org>\r\n";
    static final String ORIGINAL = HEADERS + "\r\nhello Bob\r\n\r\nsecond paragraph\r\n";

    final FakeSink sink = new FakeSink();
    final DsnService service = new DsnService(sink, FakeSink.identity("mail.example.org", "example.org"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    static MessageContent content(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    static Envelope envelope(MailAddress sender, Map<String, String> attrs, Recipient... rcpts) {
        Map<String, String> a = new HashMap<>(attrs);
        a.putIfAbsent(DsnWriter.ARRIVAL, Long.toString(NOW.minusSeconds(3600).toEpochMilli()));
        return new Envelope(sender, List.of(rcpts), a);
    }

    static Recipient rcpt(String address, String... params) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) p.put(params[i], params[i + 1]);
        return new Recipient(MailAddress.parse(address), p);
    }

    static RecipientResult rejected(String address) {
        return RecipientResult.bounced(MailAddress.parse(address), EnhancedStatus.of(5, 1, 1),
                "mx.remote.test[127.0.0.9]:2526",
                "host mx.remote.test[127.0.0.9] said: 550 5.1.1 no such user here (in reply to RCPT TO command)");
    }

    static final MailAddress ALICE = MailAddress.parse("alice@example.org");

    @Test
    void withoutASinkTheBounceFailsForNowSoTheMessageStaysQueued() {
        DsnService alone = new DsnService(null, FakeSink.identity("mail.example.org", "example.org"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        org.mailhive.api.mail.MailException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.mailhive.api.mail.MailException.class, () -> alone.bounce(ID, envelope(ALICE, Map.of(),
                        rcpt("bob@remote.test")), content(ORIGINAL), List.of(rejected("bob@remote.test"))));
        org.junit.jupiter.api.Assertions.assertTrue(e.isTemporary(), e.reply().toString());
    }

    @Test
    void nonDeliveryNoticeIsAnRfc3464ReportToTheSender() throws Exception {
        Envelope env = envelope(ALICE, Map.of(Envelope.DSN_ENVID, "env-42"),
                rcpt("bob@remote.test", Recipient.ORCPT, "rfc822;Bob+2Bsales@remote.test"),
                rcpt("carol@remote.test"));
        service.bounce(ID, env, content(ORIGINAL), List.of(rejected("bob@remote.test"),
                RecipientResult.bounced(MailAddress.parse("carol@remote.test"), EnhancedStatus.of(5, 4, 7), "qmgr",
                        "message expired: connect to mx.remote.test: timed out")));

        assertEquals(1, sink.committed.size());
        FakeSink.Submitted s = sink.committed.get(0);
        assertTrue(s.envelope().sender().isNullSender());
        assertEquals(List.of(ALICE), s.envelope().recipients().stream().map(Recipient::address).toList());
        assertEquals(DsnService.KIND_DSN, s.envelope().attribute(DsnService.KIND, ""));

        Mime dsn = Mime.parse(s.text());
        assertEquals("MAILER-DAEMON@mail.example.org (Mail Delivery System)", dsn.header("From"));
        assertEquals("<alice@example.org>", dsn.header("To"));
        assertEquals("Undelivered Mail Returned to Sender", dsn.header("Subject"));
        assertEquals("auto-replied", dsn.header("Auto-Submitted"));
        assertEquals("Mon, 2 Mar 2026 08:30:00 +0000", dsn.header("Date"));
        assertTrue(dsn.header("Content-Type").startsWith("multipart/report; report-type=delivery-status; boundary=\""),
                dsn.header("Content-Type"));

        List<Mime> parts = dsn.parts();
        assertEquals(3, parts.size());
        assertEquals("text/plain; charset=us-ascii", parts.get(0).header("Content-Type"));
        assertTrue(parts.get(0).body().contains("<bob@remote.test>: host mx.remote.test[127.0.0.9] said: 550 5.1.1 "
                + "no such user here (in reply to RCPT TO command)\r\n"), parts.get(0).body());
        assertTrue(parts.get(0).body().contains("<carol@remote.test>: message expired"), parts.get(0).body());

        assertEquals("message/delivery-status", parts.get(1).header("Content-Type"));
        List<Map<String, String>> groups = parts.get(1).groups();
        assertEquals(3, groups.size());
        assertEquals(Map.of("reporting-mta", "dns; mail.example.org", "x-mailhive-queue-id", "3F2A9C1B07",
                "x-mailhive-sender", "rfc822; alice@example.org", "original-envelope-id", "env-42",
                "arrival-date", "Mon, 2 Mar 2026 07:30:00 +0000"), groups.get(0));
        assertEquals(Map.of("final-recipient", "rfc822; bob@remote.test",
                "original-recipient", "rfc822; Bob+sales@remote.test", "action", "failed", "status", "5.1.1",
                "remote-mta", "dns; mx.remote.test",
                "diagnostic-code", "smtp; 550 5.1.1 no such user here (in reply to RCPT TO command)"), groups.get(1));
        assertEquals(Map.of("final-recipient", "rfc822; carol@remote.test", "action", "failed", "status", "5.4.7",
                "diagnostic-code", "X-Mailhive; message expired: connect to mx.remote.test: timed out"),
                groups.get(2));

        assertEquals("message/rfc822", parts.get(2).header("Content-Type"));
        assertEquals(ORIGINAL, parts.get(2).body(), "the original comes back byte for byte");
    }

    @Test
    void nullSenderGoesToPostmasterOnceAndNeverFurther() throws Exception {
        Envelope bounce = envelope(MailAddress.NULL_SENDER, Map.of(DsnService.KIND, DsnService.KIND_DSN),
                rcpt("gone@example.net"));
        service.bounce(ID, bounce, content(ORIGINAL), List.of(rejected("gone@example.net")));
        assertEquals(1, sink.committed.size());
        FakeSink.Submitted notice = sink.committed.get(0);
        assertTrue(notice.envelope().sender().isNullSender());
        assertEquals(List.of(MailAddress.parse("postmaster@example.org")),
                notice.envelope().recipients().stream().map(Recipient::address).toList());
        assertEquals(DsnService.KIND_POSTMASTER, notice.envelope().attribute(DsnService.KIND, ""));
        Mime m = Mime.parse(notice.text());
        assertEquals("<postmaster@example.org>", m.header("To"));
        assertEquals("text/rfc822-headers", m.parts().get(2).header("Content-Type"));

        // the postmaster notice itself bounces: dropped, nothing more is sent
        service.bounce(notice.id(), notice.envelope(), content(notice.text()),
                List.of(rejected("postmaster@example.org")));
        assertEquals(1, sink.committed.size());
    }

    @Test
    void configuredDoubleBounceRecipient() throws Exception {
        service.configure(Map.of("2bounce_notice_recipient", "mailops@admin.example.org"));
        service.bounce(ID, envelope(MailAddress.NULL_SENDER, Map.of(), rcpt("gone@example.net")),
                content(ORIGINAL), List.of(rejected("gone@example.net")));
        assertEquals(MailAddress.parse("mailops@admin.example.org"),
                sink.committed.get(0).envelope().recipients().get(0).address());
    }

    @Test
    void notifyParametersAreRespected() throws Exception {
        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test", Recipient.NOTIFY, "NEVER")),
                content(ORIGINAL), List.of(rejected("bob@remote.test")));
        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test", Recipient.NOTIFY, "SUCCESS,DELAY")),
                content(ORIGINAL), List.of(rejected("bob@remote.test")));
        assertEquals(List.of(), sink.committed, "no DSN when FAILURE was not asked for");

        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test", Recipient.NOTIFY, "NEVER"),
                rcpt("dave@remote.test", Recipient.NOTIFY, "SUCCESS,FAILURE")), content(ORIGINAL),
                List.of(rejected("bob@remote.test"), rejected("dave@remote.test")));
        assertEquals(1, sink.committed.size());
        List<Map<String, String>> groups = Mime.parse(sink.committed.get(0).text()).parts().get(1).groups();
        assertEquals(2, groups.size());
        assertEquals("rfc822; dave@remote.test", groups.get(1).get("final-recipient"));
    }

    @Test
    void largeOriginalIsReturnedAsHeadersOnly() throws Exception {
        service.configure(Map.of("bounce_size_limit", "100"));
        String big = HEADERS + "\r\n" + "x".repeat(500) + "\r\n";
        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test")), content(big),
                List.of(rejected("bob@remote.test")));
        Mime third = Mime.parse(sink.committed.get(0).text()).parts().get(2);
        assertEquals("text/rfc822-headers", third.header("Content-Type"));
        assertEquals(HEADERS, third.body());
        assertFalse(sink.committed.get(0).text().contains("xxxx"));
    }

    @Test
    void retHdrsReturnsHeadersOnly() throws Exception {
        service.bounce(ID, envelope(ALICE, Map.of(Envelope.DSN_RET, "HDRS"), rcpt("bob@remote.test")),
                content(ORIGINAL), List.of(rejected("bob@remote.test")));
        Mime third = Mime.parse(sink.committed.get(0).text()).parts().get(2);
        assertEquals("text/rfc822-headers", third.header("Content-Type"));
        assertEquals(HEADERS, third.body());
    }

    @Test
    void delayWarning() throws Exception {
        RecipientResult later = RecipientResult.deferred(MailAddress.parse("bob@remote.test"),
                EnhancedStatus.of(4, 3, 0), "mx.remote.test[127.0.0.9]:25",
                "host mx.remote.test[127.0.0.9] said: 451 4.3.0 try later");
        service.delayed(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test", Recipient.NOTIFY, "FAILURE")),
                content(ORIGINAL), List.of(later));
        service.delayed(ID, envelope(MailAddress.NULL_SENDER, Map.of(), rcpt("bob@remote.test")),
                content(ORIGINAL), List.of(later));
        assertEquals(List.of(), sink.committed);

        service.delayed(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test")), content(ORIGINAL), List.of(later));
        Mime m = Mime.parse(sink.committed.get(0).text());
        assertEquals("Delayed Mail (still being retried)", m.header("Subject"));
        Map<String, String> r = m.parts().get(1).groups().get(1);
        assertEquals("delayed", r.get("action"));
        assertEquals("4.3.0", r.get("status"));
        assertEquals("smtp; 451 4.3.0 try later", r.get("diagnostic-code"));
        assertEquals("text/rfc822-headers", m.parts().get(2).header("Content-Type"));
    }

    @Test
    void sinkFailuresAreTemporaryAndAbortTheDraft() {
        sink.failCommit = MailException.temporary("disk full", null);
        MailException e = assertThrows(MailException.class, () -> service.bounce(ID,
                envelope(ALICE, Map.of(), rcpt("bob@remote.test")), content(ORIGINAL),
                List.of(rejected("bob@remote.test"))));
        assertTrue(e.isTemporary());
        assertEquals(1, sink.aborted);
        assertEquals(List.of(), sink.committed);
    }

    @Test
    void tooBigForTheSinkFallsBackToHeaders() throws Exception {
        sink.failCommit = new MailException(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit"), "big");
        sink.failAbove = 3000;
        String big = HEADERS + "\r\n" + "y".repeat(4000) + "\r\n";
        service.configure(Map.of("bounce_size_limit", "1m"));
        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test")), content(big),
                List.of(rejected("bob@remote.test")));
        assertEquals(1, sink.committed.size());
        assertEquals("text/rfc822-headers",
                Mime.parse(sink.committed.get(0).text()).parts().get(2).header("Content-Type"));
    }

    @Test
    void postmasterCopyWhenNotifyClassesHasBounce() throws Exception {
        service.configure(Map.of("notify_classes", "bounce, resource"));
        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test")), content(ORIGINAL),
                List.of(rejected("bob@remote.test")));
        assertEquals(2, sink.committed.size());
        FakeSink.Submitted copy = sink.committed.get(1);
        assertEquals(MailAddress.parse("postmaster@example.org"), copy.envelope().recipients().get(0).address());
        assertEquals(DsnService.KIND_POSTMASTER, copy.envelope().attribute(DsnService.KIND, ""));
    }

    @Test
    void badConfigurationKeepsThePrevious() throws Exception {
        service.configure(Map.of("bounce_size_limit", "100"));
        service.configure(Map.of("bounce_size_limit", "lots", "notify_classes", "bounce"));
        service.bounce(ID, envelope(ALICE, Map.of(), rcpt("bob@remote.test")), content(ORIGINAL),
                List.of(rejected("bob@remote.test")));
        assertEquals(1, sink.committed.size(), "notify_classes of the rejected configuration not applied");
        assertEquals("text/rfc822-headers",
                Mime.parse(sink.committed.get(0).text()).parts().get(2).header("Content-Type"));
    }

    @Test
    void diagnosticAndRelayParsing() {
        assertEquals("smtp; 550 5.7.1 denied", DsnWriter.diagnostic("550 5.7.1 denied"));
        assertEquals("X-Mailhive; mailbox full", DsnWriter.diagnostic("mailbox full"));
        assertEquals("mx1.example.net", DsnWriter.remoteMta("mx1.example.net[192.0.2.1]:25"));
        assertEquals(null, DsnWriter.remoteMta("local"));
        assertEquals("a+b=c", DsnWriter.xtextDecode("a+2Bb+3Dc"));
    }
}
