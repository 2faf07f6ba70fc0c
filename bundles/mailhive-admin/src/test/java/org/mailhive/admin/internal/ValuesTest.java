package org.mailhive.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    private static Param p(String id, String type, String def) {
        return new Param(id, type, 0, def, "");
    }

    @Test
    void kindsFromTypeAndPostfixNames() {
        assertEquals(Values.Kind.BOOLEAN, Values.kind(p("dns_cache", "Boolean", "true")));
        assertEquals(Values.Kind.BOOLEAN, Values.kind(p("ssl_generate_self_signed", "String", "yes")));
        assertEquals(Values.Kind.INTEGER, Values.kind(p("port", "Integer", "25")));
        assertEquals(Values.Kind.LONG, Values.kind(p("bounce_limit", "Long", "1")));
        assertEquals(Values.Kind.SIZE, Values.kind(p("bounce_size_limit", "Long", "50000")));
        assertEquals(Values.Kind.SIZE, Values.kind(p("message_size_limit", "String", "52428800")));
        assertEquals(Values.Kind.DURATION, Values.kind(p("smtpd_timeout", "String", "300s")));
        assertEquals(Values.Kind.DURATION, Values.kind(p("maximal_queue_lifetime", "String", "5d")));
        assertEquals(Values.Kind.DURATION, Values.kind(p("command_time_limit", "String", "1000s")));
        assertEquals(Values.Kind.DURATION, Values.kind(p("auth_failure_delay", "String", "2s")));
        assertEquals(Values.Kind.STRING, Values.kind(p("mydestination", "String", "localhost")));
    }

    @Test
    void normalisesBooleansNumbersTimesSizesAndLists() {
        assertTrue(Values.same(p("dns_cache", "Boolean", "true"), "yes", "true"));
        assertTrue(Values.same(p("dns_cache", "Boolean", "true"), "NO", "false"));
        assertFalse(Values.same(p("dns_cache", "Boolean", "true"), "no", "true"));
        assertTrue(Values.same(p("port", "Integer", "25"), "025", "25"));
        assertFalse(Values.same(p("port", "Integer", "25"), "26", "25"));
        assertTrue(Values.same(p("smtpd_timeout", "String", "300s"), "5m", "300s"));
        assertTrue(Values.same(p("smtpd_timeout", "String", "300s"), "300", "300s"));
        assertTrue(Values.same(p("maximal_queue_lifetime", "String", "5d"), "120h", "5d"));
        assertFalse(Values.same(p("maximal_queue_lifetime", "String", "5d"), "4d", "5d"));
        assertTrue(Values.same(p("message_size_limit", "String", "52428800"), "50m", "52428800"));
        assertTrue(Values.same(p("mydestination", "String", "localhost, $myhostname"), "localhost,$myhostname",
                "localhost, $myhostname"));
        assertTrue(Values.same(p("mydestination", "String", ""), " localhost ", "localhost"));
        assertFalse(Values.same(p("mydestination", "String", "a, b"), "b, a", "a, b"));
        assertFalse(Values.same(p("myhostname", "String", ""), "mail.example.org", ""));
        // a value that does not parse is never "the default"
        assertFalse(Values.same(p("smtpd_timeout", "String", "300s"), "5x", "300s"));
    }

    @Test
    void emptyMeansFromTheDescription() {
        assertEquals("${mailhive.data}/queue",
                Values.emptyMeans(new Param("queue_directory", "String", 0, "", "Queue root; empty: ${mailhive.data}/queue")));
        assertEquals("${mailhive.config}/users", Values.emptyMeans(new Param("passwd_file", "String", 0, "",
                "The Dovecot passwd-file; empty means ${mailhive.config}/users. Edits are seen without restart.")));
        assertNull(Values.emptyMeans(new Param("virtual_alias_maps", "String", 0, "", "Files ...; empty: none.")));
    }

    @Test
    void problemsNameTheBadValue() {
        assertEquals("not a number: \"abc\"", Values.problem(p("port", "Integer", "25"), "abc"));
        assertEquals("not yes/no: \"maybe\"", Values.problem(p("ssl", "Boolean", "false"), "maybe"));
        assertEquals("not a time (e.g. 300s, 5m, 4h, 5d): \"5x\"", Values.problem(p("smtpd_timeout", "String", "300s"), "5x"));
        assertEquals("not a size: \"big\"", Values.problem(p("message_size_limit", "String", "1"), "big"));
        assertNull(Values.problem(p("message_size_limit", "String", "1"), "10m"));
        assertNull(Values.problem(p("port", "Integer", "25"), ""));
        assertNull(Values.problem(p("myhostname", "String", ""), "anything at all"));
    }

    @Test
    void substitutionUsesTheFileThenProperties() {
        Substitution s = new Substitution(Map.of("mailhive.data", "/srv/data", "x", "data")::get);
        assertEquals("/srv/data/queue", s.apply("${mailhive.data}/queue"));
        assertEquals("/srv/data", s.apply("${mailhive.${x}}"));
        assertEquals("/q/in", s.apply("${q}/in", Map.of("q", "/q")));
        assertEquals("/in", s.apply("${unknown}/in"));
        assertEquals("$myhostname", s.apply("$myhostname"));
    }
}
