package org.mailhive.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloaderTest {

    @TempDir
    Path config;
    final FakeStore store = new FakeStore();
    final Substitution subst = new Substitution(Map.of("mailhive.data", "/srv/data")::get);

    @BeforeEach
    void setUp() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostname = a.example.org");
        Fixtures.write(config.resolve("org.mailhive.queue.cfg"), "queue_directory = ${mailhive.data}/queue");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"), "port = 2525");
        store.add("org.mailhive.core", null, Map.of("service.pid", "org.mailhive.core",
                "felix.fileinstall.filename", config.resolve("org.mailhive.core.cfg").toUri().toString(),
                "myhostname", "a.example.org"));
        store.add("org.mailhive.queue", null, Map.of("service.pid", "org.mailhive.queue",
                "felix.fileinstall.filename", config.resolve("org.mailhive.queue.cfg").toUri().toString(),
                "queue_directory", "/srv/data/queue"));
        store.add("org.mailhive.smtp.listener.3f1c", "org.mailhive.smtp.listener", Map.of(
                "service.pid", "org.mailhive.smtp.listener.3f1c", "service.factoryPid", "org.mailhive.smtp.listener",
                "felix.fileinstall.filename", config.resolve("org.mailhive.smtp.listener-mta.cfg").toUri().toString(),
                "port", "2525"));
    }

    @Test
    void nothingChangedUpdatesNothing() {
        Answer a = new Reloader(store, subst, config, "1.2.3").reload();
        assertEquals(0, a.exit());
        assertEquals(List.of("reload: no configuration changed (3 of 3 files already in effect)"), a.out());
        assertEquals(List.of(), store.updated);
    }

    @Test
    void updatesOnlyTheChangedConfigurationAndKeepsTheFileLink() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"), "port = 2526", "bind = ${mailhive.data}");
        Answer a = new Reloader(store, subst, config, "1.2.3").reload();
        assertEquals(0, a.exit());
        assertEquals(List.of("reload: changed org.mailhive.smtp.listener-mta"), a.out());
        assertEquals(List.of("org.mailhive.smtp.listener.3f1c"), store.updated);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("port", "2526");
        expected.put("bind", "/srv/data");
        expected.put("felix.fileinstall.filename", config.resolve("org.mailhive.smtp.listener-mta.cfg").toUri().toString());
        assertEquals(expected, store.items.get(2).properties());
    }

    @Test
    void newFilesAreLeftToFileInstall() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.pop3.listener-pop3.cfg"), "port = 2110");
        Answer a = new Reloader(store, subst, config, "1.2.3").reload();
        assertEquals(List.of("org.mailhive.pop3.listener-pop3.cfg: not yet known to ConfigurationAdmin; FileInstall will add it",
                "reload: no configuration changed (3 of 4 files already in effect)"), a.out());
        assertEquals(List.of(), store.updated);
    }

    @Test
    void matchesByPidWithoutFileInstallProperty() {
        FakeStore s = new FakeStore();
        FakeStore.Item plain = s.add("org.mailhive.core", null, Map.of("myhostname", "x"));
        FakeStore.Item named = s.add("org.mailhive.smtp.listener~mta", "org.mailhive.smtp.listener", Map.of());
        assertSame(plain, Reloader.match(s.list(), new ConfigEntry("org.mailhive.core", null, "org.mailhive.core.cfg", Map.of())));
        assertSame(named, Reloader.match(s.list(),
                new ConfigEntry("org.mailhive.smtp.listener", "mta", "org.mailhive.smtp.listener-mta.cfg", Map.of())));
        assertEquals(null, Reloader.match(s.list(),
                new ConfigEntry("org.mailhive.smtp.listener", "other", "org.mailhive.smtp.listener-other.cfg", Map.of())));
    }

    @Test
    void typedValuesCompareAsTheirText() {
        assertEquals(true, Reloader.sameContent(Map.of("port", 2525, "service.pid", "p", "list", new String[] {"a", "b"}),
                Map.of("port", "2525", "list", "a, b")));
        assertEquals(false, Reloader.sameContent(Map.of("port", 2525), Map.of("port", "2526")));
    }
}
