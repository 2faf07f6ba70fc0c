package org.mailhive.admin.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@link ConfigStore} over the real ConfigurationAdmin (R7: {@code updateIfDifferent}). */
final class CmConfigStore implements ConfigStore {

    private final ConfigurationAdmin cm;

    CmConfigStore(ConfigurationAdmin cm) {
        this.cm = cm;
    }

    @Override
    public List<Stored> list() throws IOException {
        Configuration[] all;
        try {
            all = cm.listConfigurations(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Stored> out = new ArrayList<>();
        if (all == null) return out;
        for (Configuration c : all) {
            Map<String, Object> props = toMap(c.getProperties());
            out.add(new Stored() {
                @Override
                public String pid() {
                    return c.getPid();
                }

                @Override
                public String factoryPid() {
                    return c.getFactoryPid();
                }

                @Override
                public Map<String, Object> properties() {
                    return props;
                }

                @Override
                public boolean updateIfDifferent(Map<String, Object> properties) throws IOException {
                    return c.updateIfDifferent(new Hashtable<>(properties));
                }
            });
        }
        return out;
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (d == null) return m;
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }

    /** What ConfigurationAdmin holds, shaped like the .cfg files the CLI reads (labels and file names alike). */
    static List<ConfigEntry> entries(List<Stored> stored) {
        List<ConfigEntry> out = new ArrayList<>();
        for (Stored s : stored) {
            Map<String, String> values = new LinkedHashMap<>();
            s.properties().forEach((k, v) -> {
                if (!Reloader.AUTOMATIC.contains(k)) values.put(k, Reloader.text(v));
            });
            Object src = s.properties().get(Settings.SOURCE_FILE);
            if (src != null) {
                String file = Reloader.fileName(src.toString());
                String[] pid = ConfigFiles.parsePid(file);
                out.add(new ConfigEntry(pid[0], pid[1], file, values));
            } else if (s.factoryPid() != null) {
                String pid = s.pid();
                int tilde = pid.indexOf('~');
                String name = tilde >= 0 ? pid.substring(tilde + 1) : pid.substring(s.factoryPid().length()).replaceFirst("^\\.", "");
                out.add(new ConfigEntry(s.factoryPid(), name, null, values));
            } else {
                out.add(new ConfigEntry(s.pid(), null, null, values));
            }
        }
        out.sort((a, b) -> a.label().compareTo(b.label()));
        return out;
    }
}
