package org.mailhive.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetatypeCatalogueTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheSmtpListenerMetatypeAsAFactoryWithUnescapedDefaults() throws IOException {
        MetatypeCatalogue c = new MetatypeCatalogue();
        try (InputStream in = Fixtures.metatype("org.mailhive.smtp.internal.ListenerConfig.xml")) {
            c.add(in, "fixture");
        }
        PidInfo smtp = c.get("org.mailhive.smtp.listener");
        assertNotNull(smtp);
        assertTrue(smtp.factory());
        Param port = smtp.param("port");
        assertEquals("Integer", port.type());
        assertEquals("2525", port.defaultValue());
        assertEquals("$myhostname ESMTP Mailhive", smtp.param("smtpd_banner").defaultValue());
        assertEquals("permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination, reject_unknown_recipient",
                smtp.param("smtpd_recipient_restrictions").defaultValue());
        assertEquals("Boolean", smtp.param("smtpd_reject_unlisted_recipient").type());
        assertEquals("true", smtp.param("smtpd_reject_unlisted_recipient").defaultValue());
        // declaration order is kept: it is the order postconf-like output shows
        assertEquals(List.of("name", "port", "bind"), smtp.params().keySet().stream().limit(3).toList());
        assertNull(c.get("org.mailhive.smtp"));
    }

    @Test
    void readsPlainPidsAndCardinality() throws IOException {
        MetatypeCatalogue c = Fixtures.catalogue();
        PidInfo core = c.get("org.mailhive.core");
        assertFalse(core.factory());
        assertEquals("localhost, $myhostname", core.param("mydestination").defaultValue());
        assertEquals("${mailhive.config}/aliases", c.get("org.mailhive.aliases").param("alias_maps").defaultValue());
        assertEquals("Password", c.get("org.mailhive.tls").param("ssl_key_password").type());
        assertTrue(c.get("org.mailhive.pop3.listener").factory());
    }

    @Test
    void readsTheMetatypeOfTheJarsInADirectory() throws IOException {
        MetatypeCatalogue c = MetatypeCatalogue.fromJars(Fixtures.bundleDir(tmp));
        assertEquals(List.of("org.mailhive.aliases", "org.mailhive.core", "org.mailhive.pop3.listener",
                "org.mailhive.queue", "org.mailhive.smtp.listener", "org.mailhive.tls", "org.mailhive.users"),
                c.all().stream().map(PidInfo::pid).toList());
        assertTrue(MetatypeCatalogue.fromJars(tmp.resolve("missing")).all().isEmpty());
    }

    @Test
    void mergesSeveralDocumentsDesignatingOnePid() throws IOException {
        MetatypeCatalogue c = new MetatypeCatalogue();
        c.add(doc("A", "org.x", "a", "1"), "a");
        c.add(doc("B", "org.x", "b", "2"), "b");
        assertEquals(List.of("a", "b"), List.copyOf(c.get("org.x").params().keySet()));
    }

    @Test
    void refusesADoctype() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assertThrows(IOException.class,
                () -> new MetatypeCatalogue().add(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "evil"));
    }

    @Test
    void unescapesBackslashes() {
        assertEquals("a, b c", MetatypeCatalogue.unescape("a\\,\\ b\\ c"));
        assertEquals("", MetatypeCatalogue.unescape(null));
        assertEquals("plain", MetatypeCatalogue.unescape("plain"));
    }

    private static InputStream doc(String ocd, String pid, String key, String def) {
        String xml = "<metatype:MetaData xmlns:metatype=\"http://www.osgi.org/xmlns/metatype/v1.2.0\">"
                + "<OCD id=\"" + ocd + "\" name=\"n\"><AD id=\"" + key + "\" type=\"String\" default=\"" + def + "\"/></OCD>"
                + "<Designate pid=\"" + pid + "\"><Object ocdref=\"" + ocd + "\"/></Designate></metatype:MetaData>";
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }
}
