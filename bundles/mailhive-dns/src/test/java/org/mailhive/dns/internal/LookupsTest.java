package org.mailhive.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.api.dns.DnsException;
import org.mailhive.api.dns.MxRecord;
import org.xbill.DNS.Type;

class LookupsTest {

    private TestDnsServer server;
    private ExecutorService executor;

    @BeforeEach
    void start() throws Exception {
        server = new TestDnsServer();
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        executor.shutdownNow();
    }

    private Lookups lookups(Duration timeout, int retries, boolean cache) {
        return new Lookups(new DnsSettings(List.of(server.socketAddress()), timeout, retries, cache), executor);
    }

    private Lookups lookups() {
        return lookups(Duration.ofSeconds(3), 1, true);
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static DnsException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        return assertInstanceOf(DnsException.class, e.getCause());
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void mxRecordsKeepPreferencesAndComeBackLowerCaseWithoutDot() throws Exception {
        server.add("example.test", Type.MX, "20 MX2.Example.TEST.")
                .add("example.test", Type.MX, "10 mx1.example.test.");
        List<MxRecord> mx = await(lookups().mx("Example.Test."));
        assertEquals(2, mx.size());
        assertTrue(mx.contains(new MxRecord(10, "mx1.example.test")), mx.toString());
        assertTrue(mx.contains(new MxRecord(20, "mx2.example.test")), mx.toString());
    }

    @Test
    void nullMxIsAnEmptyHost() throws Exception {
        server.add("nomail.test", Type.MX, "0 .");
        List<MxRecord> mx = await(lookups().mx("nomail.test"));
        assertEquals(List.of(new MxRecord(0, "")), mx);
        assertTrue(mx.get(0).isNullMx());
    }

    @Test
    void addressesListIpv4BeforeIpv6() throws Exception {
        server.add("host.test", Type.AAAA, "2001:db8::25")
                .add("host.test", Type.A, "192.0.2.25")
                .add("host.test", Type.A, "192.0.2.26");
        List<InetAddress> all = await(lookups().addresses("host.test"));
        assertEquals(3, all.size());
        assertEquals(List.of(ip("2001:db8::25")), all.subList(2, 3));
        assertTrue(all.subList(0, 2).containsAll(List.of(ip("192.0.2.25"), ip("192.0.2.26"))));
        // bare literals, not "host.test/192.0.2.25"
        assertEquals("/192.0.2.25", ip("192.0.2.25").toString());
        assertTrue(all.get(0).toString().startsWith("/"), all.get(0).toString());
    }

    @Test
    void ipv6OnlyHostAndNodataForOneFamily() throws Exception {
        server.add("six.test", Type.AAAA, "2001:db8::6");
        assertEquals(List.of(ip("2001:db8::6")), await(lookups().addresses("six.test")));
        assertEquals(List.of(), await(lookups().ipv4("six.test")));
    }

    @Test
    void nxdomainIsNotFoundButNodataIsAnEmptyList() throws Exception {
        server.add("hostonly.test", Type.A, "192.0.2.1");
        Lookups dns = lookups();
        DnsException nx = failure(dns.mx("nowhere.test"));
        assertTrue(nx.isNotFound());
        assertFalse(nx.isTemporary());
        assertEquals(List.of(), await(dns.mx("hostonly.test")));
        // the second answer comes from the negative cache, which dnsjava reports differently
        assertEquals(List.of(), await(dns.mx("hostonly.test")));
        assertEquals(1, server.queries("hostonly.test", Type.MX));
        assertTrue(failure(dns.addresses("nowhere.test")).isNotFound());
    }

    @Test
    void servfailIsTemporary() throws Exception {
        server.servfail("broken.test");
        DnsException e = failure(lookups().mx("broken.test"));
        assertTrue(e.isTemporary());
        assertTrue(failure(lookups().addresses("broken.test")).isTemporary());
    }

    @Test
    void aServerThatNeverAnswersIsTemporaryWithinTheTimeout() throws Exception {
        server.silent("blackhole.test");
        Lookups dns = lookups(Duration.ofMillis(600), 2, true);
        long start = System.nanoTime();
        DnsException e = failure(dns.mx("blackhole.test"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.isTemporary());
        assertTrue(millis < 2_500, "took " + millis + " ms");
        assertTrue(server.queries("blackhole.test", Type.MX) >= 1);
    }

    @Test
    void aLostQueryIsSentAgain() throws Exception {
        server.add("lossy.test", Type.A, "192.0.2.9").lose("lossy.test", 1);
        Lookups dns = lookups(Duration.ofSeconds(4), 1, true);
        assertEquals(List.of(ip("192.0.2.9")), await(dns.ipv4("lossy.test")));
        assertEquals(2, server.queries("lossy.test", Type.A));
    }

    @Test
    void txtStringsOfOneRecordAreJoined() throws Exception {
        server.add("spf.test", Type.TXT, "\"v=spf1 \" \"-all\"");
        assertEquals(List.of("v=spf1 -all"), await(lookups().txt("spf.test")));
    }

    @Test
    void ptrForIpv4AndIpv6() throws Exception {
        server.add("25.2.0.192.in-addr.arpa", Type.PTR, "Mail.Example.test.")
                .add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", Type.PTR,
                        "six.example.test.");
        Lookups dns = lookups();
        assertEquals(List.of("mail.example.test"), await(dns.ptr(ip("192.0.2.25"))));
        assertEquals(List.of("six.example.test"), await(dns.ptr(ip("2001:db8::1"))));
        assertTrue(failure(dns.ptr(ip("192.0.2.99"))).isNotFound());
    }

    @Test
    void dnsblStyleQueryReturnsTheListedCode() throws Exception {
        server.add("2.0.0.127.zen.test", Type.A, "127.0.0.2")
                .add("2.0.0.127.zen.test", Type.TXT, "\"listed, see https://zen.test/\"");
        Lookups dns = lookups();
        assertEquals(List.of(ip("127.0.0.2")), await(dns.ipv4("2.0.0.127.zen.test")));
        assertEquals(List.of("listed, see https://zen.test/"), await(dns.txt("2.0.0.127.zen.test")));
        assertTrue(failure(dns.ipv4("1.0.0.127.zen.test")).isNotFound());
    }

    @Test
    void cnameChainsAreFollowed() throws Exception {
        server.add("www.test", Type.CNAME, "alias.test.")
                .add("alias.test", Type.CNAME, "real.test.")
                .add("real.test", Type.A, "192.0.2.80");
        assertEquals(List.of(ip("192.0.2.80")), await(lookups().addresses("www.test")));
    }

    @Test
    void cacheKeepsPositiveAndNegativeAnswersForTheirTtl() throws Exception {
        server.add("cached.test", Type.A, 3600, "192.0.2.7")
                .add("fleeting.test", Type.A, 0, "192.0.2.8");
        Lookups dns = lookups();
        for (int i = 0; i < 3; i++) {
            await(dns.ipv4("cached.test"));
            await(dns.ipv4("fleeting.test"));
            failure(dns.ipv4("nowhere.test"));
        }
        assertEquals(1, server.queries("cached.test", Type.A));
        assertEquals(3, server.queries("fleeting.test", Type.A));
        assertEquals(1, server.queries("nowhere.test", Type.A));
    }

    @Test
    void withoutCacheEveryLookupAsksTheServer() throws Exception {
        server.add("cached.test", Type.A, 3600, "192.0.2.7");
        Lookups dns = lookups(Duration.ofSeconds(3), 1, false);
        await(dns.ipv4("cached.test"));
        await(dns.ipv4("cached.test"));
        failure(dns.ipv4("nowhere.test"));
        failure(dns.ipv4("nowhere.test"));
        assertEquals(2, server.queries("cached.test", Type.A));
        assertEquals(2, server.queries("nowhere.test", Type.A));
    }

    @Test
    void invalidNamesFailPermanentlyWithoutAQuery() throws Exception {
        Lookups dns = lookups();
        assertTrue(failure(dns.mx("")).isNotFound());
        assertTrue(failure(dns.mx("a..b")).isNotFound());
        assertEquals(0, server.queries());
    }
}
