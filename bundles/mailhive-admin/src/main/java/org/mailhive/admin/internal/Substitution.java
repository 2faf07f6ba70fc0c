package org.mailhive.admin.internal;

import java.util.Map;
import java.util.function.Function;

/**
 * FileInstall's {@code ${name}} substitution in .cfg values: other keys of the same file first,
 * then framework/system properties; an unknown name becomes empty, as FileInstall does.
 * Innermost references are replaced first, so {@code ${a${b}}} works.
 */
public final class Substitution {

    private static final int MAX_ROUNDS = 32;

    private final Function<String, String> properties;

    public Substitution(Function<String, String> properties) {
        this.properties = properties;
    }

    /** Framework properties when a framework is there, else the JVM's system properties. */
    public static Substitution system() {
        return new Substitution(System::getProperty);
    }

    public String apply(String value, Map<String, String> local) {
        if (value == null || !value.contains("${")) return value;
        String v = value;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int end = v.indexOf('}');
            int start = end < 0 ? -1 : v.lastIndexOf("${", end);
            if (start < 0) return v;
            String name = v.substring(start + 2, end);
            String repl = null;
            // a key referring to itself would never end; FileInstall leaves it empty too
            if (local != null && local.containsKey(name) && !local.get(name).contains("${" + name + "}")) {
                repl = local.get(name);
            }
            if (repl == null) repl = properties.apply(name);
            v = v.substring(0, start) + (repl == null ? "" : repl) + v.substring(end + 1);
        }
        return v;
    }

    public String apply(String value) {
        return apply(value, null);
    }
}
