package org.mailhive.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailhive.dns.internal.LookupsTest.await;
import static org.mailhive.dns.internal.LookupsTest.ip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.config.Settings;
import org.xbill.DNS.Type;

class DnsResolverServiceTest {

    @Test
    void reconfiguringSwitchesToTheNewServerAndBadValuesKeepTheOldOne() throws Exception {
        try (TestDnsServer a = new TestDnsServer(); TestDnsServer b = new TestDnsServer()) {
            a.add("which.test", Type.A, "192.0.2.1");
            b.add("which.test", Type.A, "192.0.2.2");
            DnsResolverService dns = new DnsResolverService();
            try {
                dns.configure(Map.of("nameservers", a.address(), "dns_timeout", "2s"));
                assertEquals(List.of(ip("192.0.2.1")), await(dns.ipv4("which.test")));

                dns.configure(Map.of("nameservers", b.address(), "dns_timeout", "2s"));
                assertEquals(List.of(ip("192.0.2.2")), await(dns.ipv4("which.test")));

                dns.configure(Map.of("nameservers", a.address(), "dns_retries", "many"));
                assertEquals(List.of(ip("192.0.2.2")), await(dns.ipv4("which.test")));
                assertEquals(1, a.queries());
            } finally {
                dns.close();
            }
        }
    }

    @Test
    void settingsReadEveryKey() throws Exception {
        Settings s = new Settings(Map.of("nameservers", "192.0.2.53, [2001:db8::53]:5353 2001:db8::54 192.0.2.55:5300",
                "dns_timeout", "10s", "dns_retries", "0", "dns_cache", "no"));
        DnsSettings d = DnsSettings.read(s);
        assertTrue(s.ok(), s.problems().toString());
        assertEquals(List.of(new InetSocketAddress(ip("192.0.2.53"), 53), new InetSocketAddress(ip("2001:db8::53"), 5353),
                new InetSocketAddress(ip("2001:db8::54"), 53), new InetSocketAddress(ip("192.0.2.55"), 5300)),
                d.nameservers());
        assertEquals(Duration.ofSeconds(10), d.timeout());
        assertEquals(0, d.retries());
        assertFalse(d.cache());
    }

    @Test
    void defaultsWhenNothingIsConfigured() {
        Settings s = new Settings(Map.of());
        assertEquals(DnsSettings.DEFAULTS, DnsSettings.read(s));
        assertTrue(s.ok());
    }

    @Test
    void badValuesAreAllReported() {
        Settings s = new Settings(Map.of("nameservers", "dns.example.org 192.0.2.1:99999 [::1",
                "dns_timeout", "0", "dns_retries", "11", "dns_cache", "maybe"));
        DnsSettings.read(s);
        List<String> p = s.problems();
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("nameservers: not an IP address"), p.get(0));
    }

    @Test
    void serverLiteralsNeverTriggerALookup() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> DnsSettings.parseServer("localhost"));
        assertEquals(new InetSocketAddress(ip("::1"), 53), DnsSettings.parseServer("[::1]"));
    }
}
