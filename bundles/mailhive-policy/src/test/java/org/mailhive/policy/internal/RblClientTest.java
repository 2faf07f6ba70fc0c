package org.mailhive.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailhive.policy.internal.FakeDns.ip;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;

class RblClientTest {

    private static final Recipient RCPT = Fakes.rcpt("<alice@localhost>");
    private static final SmtpContext LISTED = Fakes.client("192.0.2.99", null);
    private static final String LISTED_QUERY = "99.2.0.192.zen.test";
    private static final String V6_QUERY = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.test";

    private static RejectRblClient check(FakeDns dns) {
        return new RejectRblClient(dns, Duration.ofSeconds(5));
    }

    @Test
    void listedIpv4ClientIsRejectedWithTheListsReason() {
        FakeDns dns = new FakeDns().answer("A", LISTED_QUERY, List.of(ip("127.0.0.2")))
                .answer("TXT", LISTED_QUERY, List.of("Listed\r\nsee https://zen.test/q?192.0.2.99"));
        Verdict v = check(dns).onRecipient(LISTED, RCPT, "zen.test");
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertEquals("554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using zen.test;"
                + " Listed  see https://zen.test/q?192.0.2.99", v.reply().summary());
        assertEquals(List.of("A " + LISTED_QUERY, "TXT " + LISTED_QUERY), dns.asked);
    }

    @Test
    void ipv6ClientIsLookedUpByNibbles() {
        FakeDns dns = new FakeDns().answer("A", V6_QUERY, List.of(ip("127.0.0.4")));
        Verdict v = check(dns).onRecipient(Fakes.client("2001:db8::1", null), RCPT, "ZEN.test.");
        assertEquals("554 5.7.1 Service unavailable; Client host [2001:db8::1] blocked using zen.test",
                v.reply().summary());
        assertEquals("A " + V6_QUERY, dns.asked.get(0));
    }

    @Test
    void unlistedClientsGoOn() {
        FakeDns dns = new FakeDns().answer("A", "7.2.0.192.zen.test", List.of());
        assertEquals(Verdict.DUNNO, check(dns).onRecipient(Fakes.client("192.0.2.7", null), RCPT, "zen.test"));
        assertEquals(Verdict.DUNNO, check(dns).onRecipient(Fakes.client("192.0.2.8", null), RCPT, "zen.test"));
        assertEquals(List.of("A 7.2.0.192.zen.test", "A 8.2.0.192.zen.test"), dns.asked);
    }

    @Test
    void unreachableListOrNoResolverNeverStopsMail() {
        FakeDns broken = new FakeDns().fail("A", LISTED_QUERY, true);
        assertEquals(Verdict.DUNNO, check(broken).onRecipient(LISTED, RCPT, "zen.test"));
        assertEquals(Verdict.DUNNO, new RejectRblClient(null, Duration.ofSeconds(1)).onRecipient(LISTED, RCPT, "zen.test"));
    }

    @Test
    void aResolverThatNeverAnswersIsGivenUpAfterTheBound() {
        FakeDns slow = new FakeDns().hang("A", LISTED_QUERY);
        long start = System.nanoTime();
        Verdict v = new RejectRblClient(slow, Duration.ofMillis(200)).onRecipient(LISTED, RCPT, "zen.test");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.DUNNO, v);
        assertTrue(millis >= 200 && millis < 3_000, "waited " + millis + " ms");
    }

    @Test
    void aSlowReasonIsLeftOut() {
        FakeDns dns = new FakeDns().answer("A", LISTED_QUERY, List.of(ip("127.0.0.2"))).hang("TXT", LISTED_QUERY);
        assertEquals("554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using zen.test",
                check(dns).onRecipient(LISTED, RCPT, "zen.test").reply().summary());
    }

    @Test
    void filterMatchesOnlyTheNamedAnswers() {
        FakeDns dns = new FakeDns().answer("A", LISTED_QUERY, List.of(ip("127.0.0.4")));
        assertEquals(Verdict.DUNNO, check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0.2"));
        assertEquals(Verdict.Kind.REJECT, check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0.4").kind());
        assertEquals(Verdict.Kind.REJECT, check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0.[2..11]").kind());
        assertEquals(Verdict.Kind.REJECT, check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0.[2;4]").kind());
        assertEquals(Verdict.DUNNO, check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0.[5..11]"));
    }

    @Test
    void answersOutsideTheListingRangeAreNotListings() {
        // what Spamhaus answers to queries through public resolvers
        FakeDns dns = new FakeDns().answer("A", LISTED_QUERY, List.of(ip("127.255.255.254")));
        assertEquals(Verdict.DUNNO, check(dns).onRecipient(LISTED, RCPT, "zen.test"));
    }

    @Test
    void missingOrBadArgumentIsAConfigurationProblem() {
        FakeDns dns = new FakeDns();
        for (Verdict v : List.of(check(dns).onRecipient(LISTED, RCPT),
                check(dns).onRecipient(LISTED, RCPT, " "),
                check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0"),
                check(dns).onRecipient(LISTED, RCPT, "zen.test=127.0.0.[9..2]"),
                check(dns).onRecipient(LISTED, RCPT, "nodots"))) {
            assertEquals("451 4.3.5 Server configuration problem", v.reply().summary());
        }
        assertTrue(dns.asked.isEmpty());
    }

    @Test
    void argumentParsing() {
        RblArgument a = RblArgument.parse("bl.example.org=127.0.[0;1].[2..11]");
        assertEquals("bl.example.org", a.zone());
        assertTrue(a.lists(ip("127.0.1.11")));
        assertFalse(a.lists(ip("127.0.2.11")));
        assertFalse(a.lists(ip("127.0.0.12")));
        assertThrows(IllegalArgumentException.class, () -> RblArgument.parse("bl.example.org=127.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> RblArgument.parse("bl.example.org=127.0.0.x"));
    }

    @Test
    void reversalAndAddressText() {
        assertEquals("2.0.0.127", Domains.reversed(ip("127.0.0.2")));
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2",
                Domains.reversed(ip("2001:db8::1")));
        assertEquals("f.e.d.c.b.a.9.8.7.6.5.4.3.2.1.0.f.e.d.c.b.a.9.8.7.6.5.4.3.2.1.0",
                Domains.reversed(ip("0123:4567:89ab:cdef:0123:4567:89ab:cdef")));
        assertEquals("2001:db8::1", Domains.text(ip("2001:db8:0:0:0:0:0:1")));
        assertEquals("2001:db8:0:1::", Domains.text(ip("2001:db8:0:1:0:0:0:0")));
        assertEquals("::1", Domains.text(ip("::1")));
        assertEquals("2001:db8:1:1:1:1:1:1", Domains.text(ip("2001:db8:1:1:1:1:1:1")));
        assertEquals("2001:0:1:0:1::", Domains.text(ip("2001:0:1:0:1:0:0:0")));
    }
}
