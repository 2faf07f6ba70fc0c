package org.mailhive.admin.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mailhive.api.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mailhive reload}, Postfix's {@code postfix reload}: re-reads every .cfg and hands each
 * configuration whose content differs from what ConfigurationAdmin holds to
 * {@code updateIfDifferent}. Components get it in their {@code @Modified}, so listeners keep their
 * connections. New and deleted files are left to FileInstall, which owns the creation and removal
 * of configurations and would otherwise create duplicates of what it tracks by file name.
 */
public final class Reloader {

    private static final Logger MAIL_LOG = LoggerFactory.getLogger("mail.master");
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    /** Properties ConfigurationAdmin and FileInstall add; they are not part of a file's content. */
    static final List<String> AUTOMATIC = List.of("service.pid", "service.factoryPid", "service.bundleLocation",
            Settings.SOURCE_FILE);

    private final ConfigStore store;
    private final Substitution subst;
    private final Path configDir;
    private final String version;

    public Reloader(ConfigStore store, Substitution subst, Path configDir, String version) {
        this.store = store;
        this.subst = subst;
        this.configDir = configDir;
        this.version = version;
    }

    public Answer reload() {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int inEffect = 0;
        MAIL_LOG.info("reload -- version {}, configuration {}", version, configDir);
        List<ConfigStore.Stored> stored;
        List<ConfigEntry> files;
        try {
            stored = store.list();
            files = ConfigFiles.read(configDir);
        } catch (IOException e) {
            LOG.error("reload: cannot read the configuration", e);
            return new Answer(out, List.of("mailhive reload: " + e.getMessage()), 1);
        }
        for (ConfigEntry file : files) {
            ConfigStore.Stored s = match(stored, file);
            if (s == null) {
                out.add(file.file() + ": not yet known to ConfigurationAdmin; FileInstall will add it");
                continue;
            }
            Map<String, Object> next = new LinkedHashMap<>(ConfigFiles.substituted(file.values(), subst));
            // keep FileInstall's link between configuration and file, else it would create a second one
            Object source = s.properties().get(Settings.SOURCE_FILE);
            if (source != null) next.put(Settings.SOURCE_FILE, source);
            // FileInstall polls the same files, so an edit may already be in effect when reload runs
            if (sameContent(s.properties(), next)) {
                inEffect++;
                continue;
            }
            try {
                if (s.updateIfDifferent(next)) changed.add(file.label());
            } catch (IOException | RuntimeException e) {
                LOG.error("reload: {} could not be updated", file.file(), e);
                err.add("mailhive reload: " + file.file() + ": " + e.getMessage());
            }
        }
        String summary = changed.isEmpty()
                ? "no configuration changed (" + inEffect + " of " + files.size() + " files already in effect)"
                : "changed " + String.join(", ", changed);
        MAIL_LOG.info("reload: {}", summary);
        out.add("reload: " + summary);
        return new Answer(out, err, err.isEmpty() ? 0 : 1);
    }

    /** By the file FileInstall recorded, else by PID (plain) or by {@code factoryPid~name} / {@code factoryPid-name}. */
    static ConfigStore.Stored match(List<ConfigStore.Stored> stored, ConfigEntry file) {
        for (ConfigStore.Stored s : stored) {
            Object src = s.properties().get(Settings.SOURCE_FILE);
            if (src != null && fileName(src.toString()).equals(file.file())) return s;
        }
        for (ConfigStore.Stored s : stored) {
            if (s.properties().get(Settings.SOURCE_FILE) != null) continue;
            if (!file.factory() && s.factoryPid() == null && s.pid().equals(file.pid())) return s;
            if (file.factory() && file.pid().equals(s.factoryPid())
                    && (s.pid().equals(file.pid() + "~" + file.name()) || s.pid().equals(file.pid() + "-" + file.name()))) {
                return s;
            }
        }
        return null;
    }

    static String fileName(String source) {
        try {
            Path p = source.startsWith("file:") ? Paths.get(URI.create(source)) : Path.of(source);
            Path n = p.getFileName();
            return n == null ? source : n.toString();
        } catch (IllegalArgumentException e) {
            int slash = source.lastIndexOf('/');
            return slash < 0 ? source : source.substring(slash + 1);
        }
    }

    /** Compares as strings: a .cfg gives strings, ConfigurationAdmin may hold them typed after a Gogo edit. */
    static boolean sameContent(Map<String, Object> current, Map<String, Object> next) {
        Map<String, String> a = comparable(current);
        Map<String, String> b = comparable(next);
        return a.equals(b);
    }

    private static Map<String, String> comparable(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!AUTOMATIC.contains(k)) out.put(k, text(v));
        });
        return out;
    }

    /** A property value as a .cfg would spell it; arrays and collections as comma lists. */
    static String text(Object v) {
        if (v instanceof Object[] a) {
            List<String> parts = new ArrayList<>();
            for (Object o : a) parts.add(Objects.toString(o));
            return String.join(", ", parts);
        }
        if (v instanceof java.util.Collection<?> c) {
            return String.join(", ", c.stream().map(Objects::toString).toList());
        }
        return Objects.toString(v).trim();
    }
}
