package org.mailhive.smtp.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;

/** The agent against a Java SMTP sink on loopback and a fake DNS: routing, dialogue, results. */
class SmtpDeliveryTest {

    private final List<SmtpDelivery> agents = new ArrayList<>();
    private final List<SmtpSink> sinks = new ArrayList<>();
    private SmtpSink sink;
    private Fakes.Dns dns;

    @BeforeEach
    void setUp() throws IOException {
        sink = sink("127.0.0.1", 0);
        dns = new Fakes.Dns().mx("remote.test", 10, "mx.remote.test").host("mx.remote.test", "127.0.0.1");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SmtpDelivery a : agents) a.close();
        for (SmtpSink s : sinks) s.close();
    }

    private SmtpSink sink(String address, int port) throws IOException {
        SmtpSink s = SmtpSink.start(address, port);
        sinks.add(s);
        return s;
    }

    private SmtpDelivery agent(ClientSettings cfg) {
        SmtpDelivery a = new SmtpDelivery(address -> false, new Random(7));
        a.setDns(dns);
        a.setIdentity(new Fakes.Identity());
        a.setSettings(cfg);
        agents.add(a);
        return a;
    }

    private SmtpDelivery agent() {
        return agent(Fakes.settings(sink.port()));
    }

    private static RecipientResult only(List<RecipientResult> results) {
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    private static RecipientResult of(List<RecipientResult> results, String rcpt) {
        return results.stream().filter(r -> r.recipient().toString().equals(rcpt)).findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Test
    void sentResultCarriesRelayAndTheServersReply() throws Exception {
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
        assertEquals("mx.remote.test[127.0.0.1]:" + sink.port(), r.relay());
        assertEquals("250 2.0.0 queued as sink0", r.reason());
        assertEquals("EHLO mail.local.test", sink.commands.get(0));
        assertTrue(sink.commands.contains("MAIL FROM:<alice@local.test> SIZE=" + Fakes.message("hello").length));
    }

    @Test
    void mxHostsAreTriedByPreferenceAndARefusingHostIsSkipped() throws Exception {
        // listed worst first: order must come from the preference, not from the answer
        dns = new Fakes.Dns().mx("remote.test", 30, "mx3.remote.test").mx("remote.test", 20, "mx2.remote.test")
                .mx("remote.test", 10, "mx1.remote.test").host("mx1.remote.test", "127.0.0.2")
                .host("mx2.remote.test", "127.0.0.1").host("mx3.remote.test", "127.0.0.3");
        SmtpSink worst = sink("127.0.0.3", sink.port());
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
        assertEquals("mx2.remote.test[127.0.0.1]:" + sink.port(), r.relay());
        assertEquals(1, sink.messages.size());
        assertEquals(0, worst.connections.get(), "a worse MX was used although a better one accepted");
    }

    @Test
    void everyHostRefusingDefersWithTheLastConnectError() throws Exception {
        dns = new Fakes.Dns().mx("remote.test", 10, "mx1.remote.test").host("mx1.remote.test", "127.0.0.2");
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(EnhancedStatus.of(4, 4, 1), r.dsn());
        assertEquals("connect to mx1.remote.test[127.0.0.2]:" + sink.port() + ": Connection refused", r.reason());
    }

    @Test
    void domainWithoutMxIsDeliveredToItsOwnAddress() throws Exception {
        dns = new Fakes.Dns().host("remote.test", "127.0.0.1");
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
        assertEquals("remote.test[127.0.0.1]:" + sink.port(), r.relay());
        assertEquals(List.of("MX remote.test", "A remote.test"), dns.queries);
    }

    @Test
    void nullMxBouncesWithoutConnecting() throws Exception {
        dns = new Fakes.Dns().mx("remote.test", 0, "");
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(EnhancedStatus.of(5, 1, 10), r.dsn());
        assertEquals("Domain does not accept mail (null MX)", r.reason());
        assertEquals(0, sink.connections.get());
    }

    @Test
    void unknownDomainBounces() throws Exception {
        RecipientResult r = only(agent().deliver(Fakes.request("bob@nowhere.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(EnhancedStatus.of(5, 1, 2), r.dsn());
        assertTrue(r.reason().startsWith("Host or domain name not found. Name service error for name=nowhere.test"
                + " type=MX"), r.reason());
    }

    @Test
    void temporaryDnsFailureDefers() throws Exception {
        dns.fail("MX", "remote.test", true);
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(EnhancedStatus.of(4, 4, 3), r.dsn());
    }

    @Test
    void noDnsServiceDefers() throws Exception {
        SmtpDelivery a = agent();
        a.setDns(null);
        RecipientResult r = only(a.deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.DEFERRED, r.status());
    }

    @Test
    void recipientRepliesDecideEachRecipient() throws Exception {
        List<RecipientResult> results = agent().deliver(
                Fakes.request("defer-me@remote.test", "reject-me@remote.test", "bob@remote.test"));
        RecipientResult deferred = of(results, "defer-me@remote.test");
        assertEquals(DeliveryStatus.DEFERRED, deferred.status());
        assertEquals(EnhancedStatus.of(4, 3, 0), deferred.dsn());
        assertEquals("host mx.remote.test[127.0.0.1] said: 451 4.3.0 try later (in reply to RCPT TO command)",
                deferred.reason());
        RecipientResult bounced = of(results, "reject-me@remote.test");
        assertEquals(DeliveryStatus.BOUNCED, bounced.status());
        assertEquals(EnhancedStatus.of(5, 1, 1), bounced.dsn());
        assertEquals("host mx.remote.test[127.0.0.1] said: 550 5.1.1 no such user here (in reply to RCPT TO command)",
                bounced.reason());
        assertEquals(DeliveryStatus.SENT, of(results, "bob@remote.test").status());
        assertEquals(1, sink.messages.size());
    }

    @Test
    void allRecipientsRefusedSendsNoData() throws Exception {
        RecipientResult r = only(agent().deliver(Fakes.request("reject-me@remote.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(0, sink.messages.size());
    }

    @Test
    void refusalAfterDataAppliesToEveryAcceptedRecipient() throws Exception {
        sink.dataReply = "554 5.6.0 content rejected";
        List<RecipientResult> results = agent().deliver(Fakes.request("bob@remote.test", "carol@remote.test"));
        for (RecipientResult r : results) {
            assertEquals(DeliveryStatus.BOUNCED, r.status());
            assertEquals("host mx.remote.test[127.0.0.1] said: 554 5.6.0 content rejected"
                    + " (in reply to end of DATA command)", r.reason());
        }
    }

    @Test
    void bodyIsDotStuffedOnTheWireAndArrivesByteExact() throws Exception {
        byte[] content = ("Subject: dots\r\n\r\n.hidden\r\n..two\r\nmiddle . dot\r\n.\r\nend\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        only(agent().deliver(Fakes.request(content, Map.of(), "bob@remote.test")));
        String wire = "Subject: dots\r\n\r\n..hidden\r\n...two\r\nmiddle . dot\r\n..\r\nend\r\n.\r\n";
        assertArrayEquals(wire.getBytes(StandardCharsets.US_ASCII), sink.wireData.get(0));
        assertArrayEquals(content, sink.messages.get(0));
    }

    @Test
    void pipeliningSendsMailRcptAndDataInOneBatch() throws Exception {
        // the sink answers nothing before DATA: a client that waited for the MAIL reply would time out
        sink.strictPipelining = true;
        List<RecipientResult> results = agent().deliver(Fakes.request("bob@remote.test", "carol@remote.test"));
        for (RecipientResult r : results) assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        sink.extensions = List.of("8BITMIME");
        List<RecipientResult> results = agent().deliver(Fakes.request("reject-me@remote.test", "bob@remote.test"));
        assertEquals(DeliveryStatus.SENT, of(results, "bob@remote.test").status());
        assertEquals(DeliveryStatus.BOUNCED, of(results, "reject-me@remote.test").status());
        assertTrue(sink.commands.contains("MAIL FROM:<alice@local.test>"), sink.commands.toString());
    }

    @Test
    void eightBitBodyIsDeclaredWhenTheServerOffersIt() throws Exception {
        only(agent().deliver(Fakes.request(Fakes.message("caf\u00e9"), Map.of(Envelope.BODY, "8BITMIME"),
                "bob@remote.test")));
        assertTrue(sink.commands.stream().anyMatch(c -> c.startsWith("MAIL FROM:") && c.endsWith(" BODY=8BITMIME")),
                sink.commands.toString());
    }

    @Test
    void dsnParametersArePassedOnWhenTheServerOffersDsn() throws Exception {
        sink.extensions = List.of("PIPELINING", "DSN");
        MailAddress bob = MailAddress.parse("bob@remote.test");
        Envelope env = new Envelope(MailAddress.parse("alice@local.test"),
                List.of(new Recipient(bob, Map.of(Recipient.NOTIFY, "SUCCESS,FAILURE",
                        Recipient.ORCPT, "rfc822;Bob@remote.test"))),
                Map.of(Envelope.DSN_RET, "HDRS", Envelope.DSN_ENVID, "QQ314159"));
        DeliveryRequest request = new DeliveryRequest(new QueueId("ABC123"), env,
                List.of(new Resolution(bob, AddressClass.REMOTE, "smtp", "remote.test")),
                Fakes.bytes(Fakes.message("dsn")));
        assertEquals(DeliveryStatus.SENT, only(agent().deliver(request)).status());
        assertTrue(sink.commands.contains("MAIL FROM:<alice@local.test> RET=HDRS ENVID=QQ314159"),
                sink.commands.toString());
        String rcpt = "RCPT TO:<bob@remote.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@remote.test";
        assertTrue(sink.commands.contains(rcpt), sink.commands.toString());
    }

    @Test
    void messageOverTheServersSizeLimitBounces() throws Exception {
        sink.extensions = List.of("PIPELINING", "SIZE 10");
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(EnhancedStatus.of(5, 3, 4), r.dsn());
        assertTrue(sink.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void heloIsUsedWhenEhloIsRefused() throws Exception {
        sink.refuseEhlo = true;
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
        assertTrue(sink.commands.contains("HELO mail.local.test"), sink.commands.toString());
        assertTrue(sink.commands.contains("MAIL FROM:<alice@local.test>"), sink.commands.toString());
    }

    @Test
    void relayhostInBracketsSkipsMxLookup() throws Exception {
        ClientSettings base = Fakes.settings(25);
        ClientSettings cfg = new ClientSettings(base.port(), Nexthop.parse("[127.0.0.1]:" + sink.port(), 25),
                base.tlsLevel(), false, "", "", base.heloName(), base.connectTimeout(), base.heloTimeout(),
                base.mailTimeout(), base.rcptTimeout(), base.dataInitTimeout(), base.dataXferTimeout(),
                base.dataDoneTimeout(), base.rsetTimeout(), base.quitTimeout(), base.cacheTimeLimit());
        RecipientResult r = only(agent(cfg).deliver(Fakes.request("bob@elsewhere.test")));
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
        assertEquals("127.0.0.1[127.0.0.1]:" + sink.port(), r.relay());
        assertEquals(List.of(), dns.queries);
    }

    @Test
    void transportNexthopWithBracketsAndPortIsHonoured() throws Exception {
        DeliveryRequest request = Fakes.request("bob@remote.test");
        Resolution resolution = new Resolution(request.recipients().get(0).address(), AddressClass.REMOTE, "smtp",
                "[127.0.0.1]:" + sink.port());
        DeliveryRequest direct = new DeliveryRequest(request.queueId(), request.envelope(), List.of(resolution),
                request.content());
        RecipientResult r = only(agent(Fakes.settings(25)).deliver(direct));
        assertEquals(DeliveryStatus.SENT, r.status(), r.toString());
        assertEquals(List.of(), dns.queries);
    }

    @Test
    void secondDeliveryReusesTheIdleConnectionWhichIsClosedWithQuitLater() throws Exception {
        ClientSettings base = Fakes.settings(sink.port());
        ClientSettings cfg = new ClientSettings(base.port(), null, base.tlsLevel(), false, "", "", base.heloName(),
                base.connectTimeout(), base.heloTimeout(), base.mailTimeout(), base.rcptTimeout(),
                base.dataInitTimeout(), base.dataXferTimeout(), base.dataDoneTimeout(), base.rsetTimeout(),
                base.quitTimeout(), Duration.ofMillis(500));
        SmtpDelivery a = agent(cfg);
        assertEquals(DeliveryStatus.SENT, only(a.deliver(Fakes.request("bob@remote.test"))).status());
        assertEquals(DeliveryStatus.SENT, only(a.deliver(Fakes.request("carol@remote.test"))).status());
        assertEquals(1, sink.connections.get());
        assertEquals(2, sink.messages.size());
        assertTrue(sink.commands.contains("RSET"));
        await(() -> sink.quits.get() == 1, "QUIT after the cache time limit");
        assertEquals(0, a.cache().size());
    }

    @Test
    void connectionClosedWhileIdleIsReplacedByANewOne() throws Exception {
        sink.closeAfterRset = true;
        SmtpDelivery a = agent();
        assertEquals(DeliveryStatus.SENT, only(a.deliver(Fakes.request("bob@remote.test"))).status());
        RecipientResult second = only(a.deliver(Fakes.request("carol@remote.test")));
        assertEquals(DeliveryStatus.SENT, second.status(), second.toString());
        assertEquals(2, sink.connections.get());
    }

    @Test
    void idleSessionThatTheServerTimedOutIsNotUsedForTheNextMessage() throws Exception {
        sink.idle421AfterRset = true;
        SmtpDelivery a = agent();
        assertEquals(DeliveryStatus.SENT, only(a.deliver(Fakes.request("bob@remote.test"))).status());
        RecipientResult second = only(a.deliver(Fakes.request("carol@remote.test")));
        assertEquals(DeliveryStatus.SENT, second.status(), second.toString());
        assertEquals(2, sink.connections.get());
        assertEquals(2, sink.messages.size());
    }

    @Test
    void utf8AddressToAServerWithoutSmtpUtf8Bounces() throws Exception {
        RecipientResult r = only(agent().deliver(Fakes.request(Fakes.message("x"), Map.of(Envelope.SMTPUTF8, "true"),
                "j\u00f6rg@remote.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(EnhancedStatus.of(5, 6, 7), r.dsn());
        assertTrue(sink.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void mxThatIsMyselfBouncesAsALoop() throws Exception {
        dns = new Fakes.Dns().mx("remote.test", 10, "mail.local.test").host("mail.local.test", "127.0.0.1");
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(EnhancedStatus.of(5, 4, 6), r.dsn());
        assertEquals("mail for remote.test loops back to myself", r.reason());
        assertEquals(0, sink.connections.get());
    }

    @Test
    void serverGreetingWithMyOwnNameBouncesAsALoop() throws Exception {
        sink.greetingName = "mail.local.test";
        RecipientResult r = only(agent().deliver(Fakes.request("bob@remote.test")));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals("mail for remote.test loops back to myself", r.reason());
    }

    @Test
    void silentServerIsDeferredWithinTheGreetingTimeout() throws Exception {
        sink.silent = true;
        ClientSettings base = Fakes.settings(sink.port());
        Duration t = Duration.ofMillis(700);
        ClientSettings cfg = new ClientSettings(base.port(), null, base.tlsLevel(), false, "", "", base.heloName(),
                base.connectTimeout(), t, t, t, t, t, t, t, t, base.cacheTimeLimit());
        long start = System.nanoTime();
        RecipientResult r = only(agent(cfg).deliver(Fakes.request("bob@remote.test")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(EnhancedStatus.of(4, 4, 2), r.dsn());
        assertEquals("conversation with mx.remote.test[127.0.0.1] timed out while receiving the initial server"
                + " greeting", r.reason());
        assertTrue(elapsedMs >= 600 && elapsedMs < 4000, "took " + elapsedMs + " ms");
    }

    @Test
    void serverThatStopsReadingTheBodyIsDeferredWithinTheTransferTimeout() throws Exception {
        sink.stallInData = true;
        ClientSettings base = Fakes.settings(sink.port());
        Duration t = Duration.ofSeconds(5);
        ClientSettings cfg = new ClientSettings(base.port(), null, base.tlsLevel(), false, "", "", base.heloName(),
                base.connectTimeout(), t, t, t, t, Duration.ofMillis(700), t, t, t, base.cacheTimeLimit());
        // larger than any loopback socket buffer, so the writes must stall
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 400_000; i++) body.append("line ").append(i).append(" of a large message body\r\n");
        byte[] big = Fakes.message(body.toString());
        long start = System.nanoTime();
        RecipientResult r = only(agent(cfg).deliver(Fakes.request(big, Map.of(), "bob@remote.test")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(DeliveryStatus.DEFERRED, r.status(), r.toString());
        assertEquals("conversation with mx.remote.test[127.0.0.1] timed out while sending message body", r.reason());
        assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
    }

    @Test
    void noServerIdentityDefers() throws Exception {
        SmtpDelivery a = agent();
        a.setIdentity(null);
        assertEquals(DeliveryStatus.DEFERRED, only(a.deliver(Fakes.request("bob@remote.test"))).status());
    }
}
