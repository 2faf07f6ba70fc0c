package org.mailhive.rewrite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;

class TrivialRewriteTest {

    static final class FakeIdentity implements ServerIdentity {
        final Set<String> dest;

        FakeIdentity(String... dest) {
            this.dest = Set.of(dest);
        }

        @Override
        public String myhostname() {
            return "mx.example.org";
        }

        @Override
        public String mydomain() {
            return "example.org";
        }

        @Override
        public String myorigin() {
            return "example.org";
        }

        @Override
        public Set<String> mydestination() {
            return dest;
        }

        @Override
        public boolean isMyDestination(String domain) {
            return dest.contains(domain);
        }

        @Override
        public List<String> mynetworks() {
            return List.of("127.0.0.0/8");
        }

        @Override
        public boolean inMynetworks(InetAddress client) {
            return client.isLoopbackAddress();
        }

        @Override
        public String expand(String value) {
            return value.replace("$mydomain", "example.org");
        }
    }

    private TrivialRewrite rewrite;

    @BeforeEach
    void setUp() {
        // only loopback counts as "this host" so the test does not depend on the machine's interfaces
        rewrite = new TrivialRewrite(InetAddress::isLoopbackAddress);
        rewrite.setIdentity(new FakeIdentity("localhost", "example.org", "[127.0.0.1]", "[ipv6:::1]", "[192.0.2.7]"));
        rewrite.configure(Map.of());
    }

    private Resolution resolve(String addr) {
        return rewrite.resolve(MailAddress.parse(addr));
    }

    @Test
    void localDomainGoesToLocalTransport() {
        Resolution r = resolve("Alice@Example.ORG.");
        assertEquals(new Resolution(MailAddress.of("Alice", "example.org"), AddressClass.LOCAL, "local", ""), r);
        assertEquals("example.org", r.address().domain());
    }

    @Test
    void otherDomainsAreRemoteWithDomainAsNexthop() {
        assertEquals(new Resolution(MailAddress.of("bob", "gmail.com"), AddressClass.REMOTE, "smtp", "gmail.com"),
                resolve("bob@GMAIL.com"));
    }

    @Test
    void relayDomainsUseRelayTransport() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("relay_domains", "partner.net, .sub.example.com $mydomain-relay.net");
        cfg.put("relay_transport", "relay");
        rewrite.configure(cfg);
        assertEquals(new Resolution(MailAddress.of("x", "partner.net"), AddressClass.RELAY, "relay", "partner.net"),
                resolve("x@partner.net"));
        assertEquals(AddressClass.RELAY, resolve("x@a.sub.example.com").addressClass());
        assertEquals(AddressClass.REMOTE, resolve("x@sub.example.com").addressClass());
        assertEquals(AddressClass.RELAY, resolve("x@example.org-relay.net").addressClass());
        assertEquals(AddressClass.LOCAL, resolve("x@example.org").addressClass());
    }

    @Test
    void transportWithNexthopOverridesDomain() {
        rewrite.configure(Map.of("default_transport", "smtp:[relay.example.net]:587", "local_transport", "lmtp"));
        assertEquals(new Resolution(MailAddress.of("b", "other.com"), AddressClass.REMOTE, "smtp",
                "[relay.example.net]:587"), resolve("b@other.com"));
        assertEquals("lmtp", resolve("a@localhost").transport());
    }

    @Test
    void badValuesKeepPreviousConfiguration() {
        rewrite.configure(Map.of("relay_domains", "partner.net", "default_transport", "relay"));
        rewrite.configure(Map.of("relay_domains", "other.net", "default_transport", "bad transport!"));
        assertEquals(AddressClass.RELAY, resolve("x@partner.net").addressClass());
        assertEquals(AddressClass.REMOTE, resolve("x@other.net").addressClass());
        assertEquals("relay", resolve("x@other.net").transport());
    }

    @Test
    void addressLiteralIsLocalOnlyWhenListedAndOurs() {
        assertEquals(AddressClass.LOCAL, resolve("a@[127.0.0.1]").addressClass());
        assertEquals(AddressClass.LOCAL, resolve("a@[IPv6:0:0:0:0:0:0:0:1]").addressClass());
        // listed but not an address of this host
        Resolution notOurs = resolve("a@[192.0.2.7]");
        assertEquals(AddressClass.REMOTE, notOurs.addressClass());
        assertEquals("[192.0.2.7]", notOurs.nexthop());
        // ours but not listed
        assertEquals(AddressClass.REMOTE, resolve("a@[127.0.0.2]").addressClass());
    }

    @Test
    void nullSenderIsNotResolvable() {
        assertThrows(IllegalArgumentException.class, () -> rewrite.resolve(MailAddress.NULL_SENDER));
    }

    @Test
    void literalParsing() {
        assertEquals("127.0.0.1", TrivialRewrite.parseLiteral("[127.0.0.1]").getHostAddress());
        assertNull(TrivialRewrite.parseLiteral("[localhost]"));
        assertNull(TrivialRewrite.parseLiteral("example.org"));
        assertNull(TrivialRewrite.parseLiteral("[ipv6:zz::1]"));
    }
}
