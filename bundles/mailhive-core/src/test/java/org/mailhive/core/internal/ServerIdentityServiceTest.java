package org.mailhive.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerIdentityServiceTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void defaultsDeriveFromTheSystemHostName() throws Exception {
        ServerIdentityService id = new ServerIdentityService("mx1.example.org");
        id.configure(Map.of());
        assertEquals("mx1.example.org", id.myhostname());
        assertEquals("example.org", id.mydomain());
        assertEquals("mx1.example.org", id.myorigin());
        assertEquals(Set.of("localhost", "mx1.example.org"), id.mydestination());
        assertTrue(id.isMyDestination("LOCALHOST."));
        assertFalse(id.isMyDestination("remote.test"));
        assertTrue(id.inMynetworks(ip("127.0.0.5")));
        assertTrue(id.inMynetworks(ip("::1")));
        assertTrue(id.inMynetworks(ip("::ffff:127.0.0.1")));
        assertFalse(id.inMynetworks(ip("192.0.2.1")));
    }

    @Test
    void unqualifiedSystemNameGetsLocaldomain() {
        ServerIdentityService id = new ServerIdentityService("box");
        assertEquals("box.localdomain", id.myhostname());
        assertEquals("localdomain", id.mydomain());
    }

    @Test
    void referencesExpandLikeMainCf() {
        ServerIdentityService id = new ServerIdentityService("h.example.org");
        id.configure(Map.of("myhostname", "mail.example.com", "mydestination", "$myhostname, localhost.${mydomain}",
                "myorigin", "$mydomain"));
        assertEquals(Set.of("mail.example.com", "localhost.example.com"), id.mydestination());
        assertEquals("example.com", id.myorigin());
        assertEquals("mail.example.com ESMTP Mailhive", id.expand("$myhostname ESMTP Mailhive"));
        assertEquals("$unknown stays", id.expand("$unknown stays"));
    }

    @Test
    void badValueKeepsThePreviousIdentity() throws Exception {
        ServerIdentityService id = new ServerIdentityService("h.example.org");
        id.configure(Map.of("mynetworks", "10.0.0.0/8"));
        assertTrue(id.inMynetworks(ip("10.1.2.3")));
        id.configure(Map.of("mynetworks", "10.0.0.0/8, not-a-network", "mydestination", "other.test"));
        assertTrue(id.inMynetworks(ip("10.1.2.3")), "old mynetworks must stay in force");
        assertFalse(id.isMyDestination("other.test"), "no part of a bad configuration applies");
    }

    @Test
    void networkRanges() throws Exception {
        assertTrue(NetworkRange.parse("192.168.1.0/24").contains(ip("192.168.1.200")));
        assertFalse(NetworkRange.parse("192.168.1.0/24").contains(ip("192.168.2.1")));
        assertTrue(NetworkRange.parse("192.0.2.7").contains(ip("192.0.2.7")));
        assertFalse(NetworkRange.parse("192.0.2.7").contains(ip("192.0.2.8")));
        assertTrue(NetworkRange.parse("[2001:db8::]/32").contains(ip("2001:db8:1::5")));
        assertFalse(NetworkRange.parse("[2001:db8::]/32").contains(ip("192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("example.org"));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("300.1.1.1"));
    }
}
