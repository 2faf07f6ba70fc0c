package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mailhive.api.config.Settings;
import org.junit.jupiter.api.Test;
import org.mailhive.net.SaslExchange;

/** Restriction lists, profiles, DSN syntax, SASL decoding, the per-client failure window, log wording. */
class ExtensionPartsTest {

    @Test
    void restrictionArgumentsBelongToTheNameBefore() {
        assertEquals(List.of(new Restriction("permit_mynetworks", null),
                new Restriction("reject_rbl_client", "zen.example"), new Restriction("check_x", "hash:/etc/map"),
                new Restriction("reject", null)),
                Restriction.parse(Settings.splitList("permit_mynetworks reject_rbl_client zen.example,"
                        + " check_x hash:/etc/map reject")));
    }

    @Test
    void profilesGiveDefaultsAndKeysOverrideThem() {
        Settings s = new Settings(Map.of());
        ListenerSettings sub = ListenerSettings.read(s, "submission");
        assertEquals(2587, sub.port());
        assertEquals("encrypt", sub.policy().tlsSecurityLevel());
        assertTrue(sub.policy().saslAuthEnable() && sub.policy().authRequired());
        ListenerSettings smtps = ListenerSettings.read(s, "smtps");
        assertEquals(2465, smtps.port());
        assertTrue(smtps.policy().wrapperMode());
        ListenerSettings mta = ListenerSettings.read(s, "edge");
        assertEquals(2525, mta.port());
        assertFalse(mta.policy().saslAuthEnable());
        assertEquals("may", mta.policy().tlsSecurityLevel());
        assertEquals(Duration.ofSeconds(2), mta.policy().authFailureDelay());
        assertEquals(50, mta.policy().connectionCountLimit());
        assertTrue(s.ok(), s.problems().toString());

        Settings o = new Settings(Map.of("profile", "submission", "smtpd_tls_security_level", "may", "port", "587"));
        ListenerSettings custom = ListenerSettings.read(o, "x");
        assertEquals(587, custom.port());
        assertEquals("may", custom.policy().tlsSecurityLevel());

        Settings bad = new Settings(Map.of("smtpd_tls_security_level", "maybe", "smtpd_auth_required", "yes",
                "smtpd_auth_failure_delay", "soon"));
        ListenerSettings.read(bad, "mta");
        assertEquals(3, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void dsnSyntax() {
        assertTrue(Dsn.isXtext("abc+2B+3D"));
        assertFalse(Dsn.isXtext("a=b"));
        assertFalse(Dsn.isXtext("a+2b"));
        assertFalse(Dsn.isXtext("a b"));
        assertEquals("FAILURE,DELAY", Dsn.notify("failure,Delay"));
        assertNull(Dsn.notify("NEVER,SUCCESS"));
        assertNull(Dsn.notify("SUCCESS,SUCCESS"));
        assertTrue(Dsn.isOrcpt("rfc822;a@b.test"));
        assertFalse(Dsn.isOrcpt(";a@b.test"));
        assertFalse(Dsn.isOrcpt("rfc822;"));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void saslPlainAndLogin() {
        SaslExchange plain = SaslExchange.start("PLAIN");
        SaslExchange.Credentials c = (SaslExchange.Credentials) plain.begin(b64("\0j\u00f6rg@x\0p\u00e4ss"));
        assertEquals("j\u00f6rg@x", c.login());
        assertEquals("p\u00e4ss", new String(c.password()));
        assertEquals(new SaslExchange.Challenge(""), SaslExchange.start("PLAIN").begin(null));
        assertEquals(new SaslExchange.Failure(false, "bob"), SaslExchange.start("PLAIN").begin(b64("alice\0bob\0pw")));
        assertEquals(new SaslExchange.Failure(false, null), SaslExchange.start("PLAIN").begin(b64("nonul")));
        assertEquals(new SaslExchange.Failure(true, null), SaslExchange.start("PLAIN").begin("***"));
        SaslExchange login = SaslExchange.start("LOGIN");
        assertEquals(new SaslExchange.Challenge("VXNlcm5hbWU6"), login.begin(null));
        assertEquals(new SaslExchange.Challenge("UGFzc3dvcmQ6"), login.respond(b64("u")));
        assertInstanceOf(SaslExchange.Credentials.class, login.respond("="));
        assertNull(SaslExchange.start("CRAM-MD5"));
    }

    @Test
    void authFailuresAreCountedPerAddressWithinTheWindow() throws Exception {
        AtomicLong now = new AtomicLong();
        AuthFailures f = new AuthFailures(now::get, Duration.ofMinutes(10));
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        f.failed(a);
        f.failed(a);
        f.failed(b);
        assertEquals(2, f.recent(a));
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        f.failed(a);
        assertEquals(3, f.recent(a));
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertEquals(1, f.recent(a));
        assertEquals(0, f.recent(b));
    }

    @Test
    void saslLogLinesAreWordedAsPostfix() {
        MailLog log = new MailLog("unknown[192.0.2.1]");
        assertEquals("warning: unknown[192.0.2.1]: SASL PLAIN authentication failed: authentication failure,"
                + " sasl_username=alice@x", log.saslFailedLine("PLAIN", "alice@x"));
        assertEquals("3F2A: client=unknown[192.0.2.1], sasl_method=LOGIN, sasl_username=alice@x",
                log.queuedLine("3F2A", "LOGIN", "alice@x"));
        assertEquals("3F2A: client=unknown[192.0.2.1]", log.queuedLine("3F2A", null, null));
        assertEquals("a?b", AuthCommand.printable("a\nb"));
    }
}
