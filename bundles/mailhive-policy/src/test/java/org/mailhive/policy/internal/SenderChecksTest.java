package org.mailhive.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailhive.policy.internal.FakeDns.ip;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailhive.api.dns.MxRecord;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;

class SenderChecksTest {

    private static SmtpContext from(String path) {
        return Fakes.client("192.0.2.7", null, MailAddress.parsePath(path, true));
    }

    private static String reply(Verdict v) {
        return v.decided() ? v.reply().summary() : v.kind().name();
    }

    @Test
    void nonFqdnSenderInSenderAndRecipientRestrictions() {
        RejectNonFqdnSender check = new RejectNonFqdnSender();
        SmtpContext bare = from("<joe@workstation>");
        assertEquals("504 5.5.2 <joe@workstation>: Sender address rejected: need fully-qualified address",
                reply(check.onSender(bare, bare.sender())));
        assertEquals("504 5.5.2 <joe@workstation>: Sender address rejected: need fully-qualified address",
                reply(check.onRecipient(bare, Fakes.rcpt("<alice@localhost>"))));
        for (String ok : List.of("<joe@example.test>", "<joe@[192.0.2.1]>", "<joe@[IPv6:2001:db8::1]>", "<>")) {
            SmtpContext s = from(ok);
            assertEquals(Verdict.DUNNO, check.onSender(s, s.sender()), ok);
            assertEquals(Verdict.DUNNO, check.onRecipient(s, Fakes.rcpt("<alice@localhost>")), ok);
        }
        SmtpContext numeric = from("<joe@192.0.2.1>");
        assertEquals(504, check.onSender(numeric, numeric.sender()).reply().code());
    }

    @Test
    void nonFqdnRecipient() {
        RejectNonFqdnRecipient check = new RejectNonFqdnRecipient();
        SmtpContext s = from("<joe@example.test>");
        assertEquals("504 5.5.2 <alice@localhost>: Recipient address rejected: need fully-qualified address",
                reply(check.onRecipient(s, Fakes.rcpt("<alice@localhost>"))));
        assertEquals(Verdict.DUNNO, check.onRecipient(s, Fakes.rcpt("<alice@example.test>")));
        assertEquals(Verdict.DUNNO, check.onRecipient(s, Fakes.rcpt("<alice@[127.0.0.1]>")));
    }

    private static Verdict unknown(FakeDns dns, String sender) {
        SmtpContext s = from(sender);
        return new RejectUnknownSenderDomain(dns, Duration.ofSeconds(5)).onSender(s, s.sender());
    }

    @Test
    void senderDomainWithMxOrAddressesIsKnown() {
        FakeDns dns = new FakeDns()
                .answer("MX", "mx.test", List.of(new MxRecord(10, "mail.mx.test")))
                .answer("MX", "host.test", List.of())
                .answer("ADDR", "host.test", List.of(ip("192.0.2.5")));
        assertEquals(Verdict.DUNNO, unknown(dns, "<joe@mx.test>"));
        assertEquals(Verdict.DUNNO, unknown(dns, "<joe@host.test>"));
        assertEquals(List.of("MX mx.test", "MX host.test", "ADDR host.test"), dns.asked);
    }

    @Test
    void nonexistentSenderDomainIsPermanent() {
        FakeDns dns = new FakeDns()
                .answer("MX", "empty.test", List.of())
                .answer("ADDR", "empty.test", List.of());
        assertEquals("550 5.1.8 <joe@nowhere.test>: Sender address rejected: Domain not found",
                reply(unknown(dns, "<joe@nowhere.test>")));
        assertEquals("550 5.1.8 <joe@empty.test>: Sender address rejected: Domain not found",
                reply(unknown(dns, "<joe@empty.test>")));
    }

    @Test
    void dnsTroubleOnlyDefers() {
        FakeDns dns = new FakeDns()
                .fail("MX", "flaky.test", true)
                .answer("MX", "halfway.test", List.of())
                .fail("ADDR", "halfway.test", true)
                .hang("MX", "slow.test");
        assertEquals("450 4.1.8 <joe@flaky.test>: Sender address rejected: Domain not found",
                reply(unknown(dns, "<joe@flaky.test>")));
        assertEquals(450, unknown(dns, "<joe@halfway.test>").reply().code());
        SmtpContext s = from("<joe@slow.test>");
        assertEquals(450, new RejectUnknownSenderDomain(dns, Duration.ofMillis(100)).onSender(s, s.sender()).reply().code());
    }

    @Test
    void nullMxSenderCannotGetReplies() {
        FakeDns dns = new FakeDns().answer("MX", "nomail.test", List.of(new MxRecord(0, "")));
        assertEquals("550 5.7.27 <joe@nomail.test>: Sender address rejected: Domain does not accept mail",
                reply(unknown(dns, "<joe@nomail.test>")));
    }

    @Test
    void nullSenderLiteralsAndMissingResolver() {
        FakeDns dns = new FakeDns();
        assertEquals(Verdict.DUNNO, unknown(dns, "<>"));
        assertEquals(Verdict.DUNNO, unknown(dns, "<joe@[192.0.2.1]>"));
        assertEquals(List.of(), dns.asked);
        assertEquals(451, unknown(null, "<joe@example.test>").reply().code());
        // the delayed form at RCPT time judges the transaction's sender
        SmtpContext s = from("<joe@nowhere.test>");
        assertEquals(550, new RejectUnknownSenderDomain(dns, Duration.ofSeconds(5))
                .onRecipient(s, Fakes.rcpt("<alice@localhost>")).reply().code());
    }
}
