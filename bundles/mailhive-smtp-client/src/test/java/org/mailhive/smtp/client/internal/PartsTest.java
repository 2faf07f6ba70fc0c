package org.mailhive.smtp.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mailhive.api.config.Settings;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.dns.MxRecord;
import org.mailhive.api.mail.EnhancedStatus;

/** Next hop syntax, replies, dot-stuffing, MX order, loop detection by address, configuration. */
class PartsTest {

    @Test
    void nexthopSyntaxFollowsPostfix() {
        assertEquals(new Nexthop("remote.test", 25, true), Nexthop.parse("Remote.Test.", 25));
        assertEquals(new Nexthop("remote.test", 2526, true), Nexthop.parse("remote.test:2526", 25));
        assertEquals(new Nexthop("relay.test", 25, false), Nexthop.parse("[relay.test]", 25));
        assertEquals(new Nexthop("127.0.0.1", 587, false), Nexthop.parse("[127.0.0.1]:587", 25));
        assertEquals(new Nexthop("2001:db8::1", 25, false), Nexthop.parse("[IPv6:2001:db8::1]", 25));
        assertEquals(Fakes.ip("127.0.0.1"), Nexthop.parse("[127.0.0.1]", 25).literal());
        assertNull(Nexthop.parse("[relay.test]", 25).literal());
        assertThrows(IllegalArgumentException.class, () -> Nexthop.parse("[relay.test", 25));
        assertThrows(IllegalArgumentException.class, () -> Nexthop.parse("[relay.test]:0", 25));
        assertThrows(IllegalArgumentException.class, () -> Nexthop.parse("relay.test:x", 25));
        assertThrows(IllegalArgumentException.class, () -> Nexthop.parse("bad host", 25));
    }

    @Test
    void replyStatusComesFromTheEnhancedCodeOnlyWhenItMatchesTheClass() {
        assertEquals(EnhancedStatus.of(5, 1, 1), new Reply(550, List.of("5.1.1 no such user")).status());
        assertEquals(EnhancedStatus.of(5, 0, 0), new Reply(550, List.of("no such user")).status());
        assertEquals(EnhancedStatus.of(4, 0, 0), new Reply(451, List.of("5.1.1 confused server")).status());
        assertEquals("250 first second", new Reply(250, List.of("first", "second")).text());
        boolean[] last = {false};
        assertEquals(250, Reply.lineCode("250-PIPELINING", last));
        assertFalse(last[0]);
        assertEquals(220, Reply.lineCode("220", last));
        assertTrue(last[0]);
        assertEquals(-1, Reply.lineCode("25O ok", last));
        assertEquals(-1, Reply.lineCode("250x", last));
    }

    @Test
    void dotStuffingDoublesLeadingDotsAndTerminates() throws Exception {
        assertArrayEquals(bytes("a\r\n..b\r\n.\r\n"), stuff("a\r\n.b\r\n"));
        assertArrayEquals(bytes("..\r\n.\r\n"), stuff(".\r\n"));
        assertArrayEquals(bytes("no newline\r\n.\r\n"), stuff("no newline"));
        assertArrayEquals(bytes(".\r\n"), stuff(""));
        // a dot at a buffer boundary is still at a line start
        String big = "x".repeat(16 * 1024 - 2) + "\r\n.dot\r\n";
        assertArrayEquals(bytes("x".repeat(16 * 1024 - 2) + "\r\n..dot\r\n.\r\n"), stuff(big));
    }

    private static byte[] stuff(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffing.copy(new ByteArrayInputStream(bytes(s)), out);
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void equalPreferencesAreShuffledAndBetterOnesComeFirst() {
        Router router = new Router(a -> false, new Random(3));
        List<MxRecord> records = List.of(new MxRecord(20, "c"), new MxRecord(10, "a"), new MxRecord(10, "b"),
                new MxRecord(30, "d"));
        boolean sawA = false;
        boolean sawB = false;
        for (int i = 0; i < 50; i++) {
            List<MxRecord> o = router.ordered(records);
            assertEquals(List.of(10, 10, 20, 30), o.stream().map(MxRecord::preference).toList());
            sawA |= o.get(0).host().equals("a");
            sawB |= o.get(0).host().equals("b");
        }
        assertTrue(sawA && sawB, "equal preferences never shuffled");
    }

    @Test
    void localAddressOnPort25IsALoopAndWorseMxHostsAreDropped() throws Exception {
        Fakes.Dns dns = new Fakes.Dns().mx("remote.test", 10, "backup.remote.test")
                .mx("remote.test", 5, "mx.remote.test")
                .host("mx.remote.test", "127.0.0.1").host("backup.remote.test", "192.0.2.7");
        Router router = new Router(a -> a.isLoopbackAddress(), new Random(1));
        Router.RouteFailure f = assertThrows(Router.RouteFailure.class,
                () -> router.route(Nexthop.parse("remote.test", 25), dns, "mail.local.test"));
        assertEquals(DeliveryStatus.BOUNCED, f.status);
        assertEquals("mail for remote.test loops back to myself", f.getMessage());
        // on another port a loopback peer is a test sink, not ourselves
        assertEquals(2, router.route(Nexthop.parse("remote.test", 2526), dns, "mail.local.test").size());
        // ourselves as backup MX: only the better hosts remain
        Fakes.Dns backup = new Fakes.Dns().mx("remote.test", 10, "mail.local.test")
                .mx("remote.test", 5, "mx.remote.test")
                .mx("remote.test", 20, "worse.remote.test").host("mx.remote.test", "192.0.2.1")
                .host("worse.remote.test", "192.0.2.2").host("mail.local.test", "192.0.2.9");
        List<Router.Target> targets = router.route(Nexthop.parse("remote.test", 25), backup, "mail.local.test");
        assertEquals(List.of("mx.remote.test"), targets.stream().map(Router.Target::host).toList());
    }

    @Test
    void mxHostWithoutAddressIsSkippedAndAllFailingDefers() throws Exception {
        Fakes.Dns dns = new Fakes.Dns().mx("remote.test", 5, "gone.remote.test").mx("remote.test", 10, "mx.remote.test")
                .host("mx.remote.test", "192.0.2.1");
        Router router = new Router(a -> false, new Random(1));
        assertEquals(List.of("mx.remote.test"), router.route(Nexthop.parse("remote.test", 25), dns, "me")
                .stream().map(Router.Target::host).toList());
        Fakes.Dns none = new Fakes.Dns().mx("remote.test", 5, "gone.remote.test");
        Router.RouteFailure f = assertThrows(Router.RouteFailure.class,
                () -> router.route(Nexthop.parse("remote.test", 25), none, "me"));
        assertEquals(DeliveryStatus.DEFERRED, f.status);
        assertEquals(EnhancedStatus.of(4, 4, 3), f.dsn);
    }

    @Test
    void emptyValuesAsShippedMeanTheDefaults() {
        org.mailhive.api.config.Settings s = new org.mailhive.api.config.Settings(
                java.util.Map.of("smtp_helo_name", "", "relayhost", "", "smtp_port", "2526"));
        ClientSettings cfg = ClientSettings.read(s);
        assertTrue(s.ok(), s.problems().toString());
        assertEquals(2526, cfg.port());
        assertEquals("$myhostname", cfg.heloName());
    }

    @Test
    void configurationIsReadWithPostfixNamesAndABadValueKeepsThePrevious() {
        Map<String, Object> props = new HashMap<>();
        props.put("smtp_port", "2526");
        props.put("relayhost", "[smarthost.test]:587");
        props.put("smtp_tls_security_level", "encrypt");
        props.put("smtp_connection_cache_time_limit", "5s");
        Settings s = new Settings(props);
        ClientSettings cfg = ClientSettings.read(s);
        assertTrue(s.ok(), s.problems().toString());
        assertEquals(2526, cfg.port());
        assertEquals(new Nexthop("smarthost.test", 587, false), cfg.relayhost());
        assertEquals(ClientSettings.TlsLevel.ENCRYPT, cfg.tlsLevel());
        assertEquals(Duration.ofSeconds(5), cfg.cacheTimeLimit());
        assertEquals(Duration.ofSeconds(300), cfg.rcptTimeout());

        SmtpDelivery agent = new SmtpDelivery(a -> false, new Random(1));
        try {
            agent.configure(props);
            assertEquals(cfg, agent.settings());
            Map<String, Object> bad = new HashMap<>(props);
            bad.put("smtp_port", "seventy");
            bad.put("smtp_rcpt_timeout", "0s");
            Settings badSettings = new Settings(bad);
            ClientSettings.read(badSettings);
            assertEquals(2, badSettings.problems().size(), badSettings.problems().toString());
            agent.configure(bad);
            assertEquals(cfg, agent.settings());
            // AUTH without a user name is refused as a whole, too
            agent.configure(Map.of("smtp_sasl_auth_enable", "yes"));
            assertEquals(cfg, agent.settings());
            agent.configure(Map.of());
            assertEquals(ClientSettings.DEFAULTS, agent.settings());
        } finally {
            agent.close();
        }
    }
}
