package org.mailhive.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CmConfigStoreTest {

    @Test
    void configurationsLookLikeTheirFiles() {
        FakeStore s = new FakeStore();
        s.add("org.mailhive.smtp.listener.9a7b", "org.mailhive.smtp.listener", Map.of(
                "service.pid", "org.mailhive.smtp.listener.9a7b", "service.factoryPid", "org.mailhive.smtp.listener",
                "felix.fileinstall.filename", "file:/etc/mailhive/org.mailhive.smtp.listener-mta.cfg", "port", "2525"));
        s.add("org.mailhive.pop3.listener~pop3", "org.mailhive.pop3.listener", Map.of("port", 2110));
        s.add("org.mailhive.core", null, Map.of("service.pid", "org.mailhive.core",
                "mydestination", new String[] {"localhost", "example.org"}));
        List<ConfigEntry> e = CmConfigStore.entries(s.list());
        assertEquals(List.of("org.mailhive.core", "org.mailhive.pop3.listener-pop3", "org.mailhive.smtp.listener-mta"),
                e.stream().map(ConfigEntry::label).toList());
        assertEquals(Map.of("mydestination", "localhost, example.org"), e.get(0).values());
        assertEquals(null, e.get(0).file());
        assertEquals(Map.of("port", "2110"), e.get(1).values());
        assertEquals("org.mailhive.smtp.listener-mta.cfg", e.get(2).file());
        assertEquals(Map.of("port", "2525"), e.get(2).values());
        assertEquals("# org.mailhive.smtp.listener-mta (org.mailhive.smtp.listener-mta.cfg)", e.get(2).header());
    }
}
