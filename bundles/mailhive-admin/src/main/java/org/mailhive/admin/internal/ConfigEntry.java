package org.mailhive.admin.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration as the operator sees it: a .cfg file, or what ConfigurationAdmin holds.
 *
 * @param pid    the PID, or the factory PID of a factory configuration
 * @param name   the factory configuration's name ({@code mta} of {@code …listener-mta.cfg}); null for a plain PID
 * @param file   the .cfg file name relative to the config directory; null when there is none
 * @param values the keys set, in file order, as strings
 */
public record ConfigEntry(String pid, String name, String file, Map<String, String> values) {

    public ConfigEntry {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** {@code org.mailhive.core} or {@code org.mailhive.smtp.listener-mta}: what a qualified key starts with. */
    public String label() {
        return name == null ? pid : pid + "-" + name;
    }

    public boolean factory() {
        return name != null;
    }

    /** The comment line above the keys of this configuration. */
    public String header() {
        return "# " + label() + (file == null ? " (no file)" : " (" + file + ")");
    }
}
