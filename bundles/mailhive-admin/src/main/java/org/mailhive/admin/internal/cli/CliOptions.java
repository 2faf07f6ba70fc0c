package org.mailhive.admin.internal.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mailhive.admin.internal.Substitution;

/**
 * The options every admin CLI command shares: {@code --config DIR}, {@code --data DIR},
 * {@code --bundles DIR}; else the system properties bin/mailhive sets, else MAILHIVE_CONFIG/MAILHIVE_DATA.
 */
final class CliOptions {

    String config;
    String data;
    String bundles;
    final List<String> words = new ArrayList<>();
    String problem;

    static CliOptions parse(String[] args, Map<String, String> env) {
        CliOptions o = new CliOptions();
        o.config = first(System.getProperty("mailhive.config"), env.get("MAILHIVE_CONFIG"));
        o.data = first(System.getProperty("mailhive.data"), env.get("MAILHIVE_DATA"));
        String home = System.getProperty("mailhive.home");
        o.bundles = home == null ? null : Path.of(home, "bundle").toString();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("--config") || name.equals("--data") || name.equals("--bundles")) {
                String v;
                if (a.contains("=")) {
                    v = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    o.problem = a + " needs a directory";
                    return o;
                }
                switch (name) {
                    case "--config" -> o.config = v;
                    case "--data" -> o.data = v;
                    default -> o.bundles = v;
                }
            } else {
                o.words.add(a);
            }
        }
        return o;
    }

    Path configDir() {
        return config == null || config.isEmpty() ? null : Path.of(config).toAbsolutePath();
    }

    Path dataDir() {
        return data == null || data.isEmpty() ? null : Path.of(data).toAbsolutePath();
    }

    Path bundleDir() {
        return bundles == null || bundles.isEmpty() ? null : Path.of(bundles).toAbsolutePath();
    }

    /** ${mailhive.config} and ${mailhive.data} are the directories given here, then system properties. */
    Substitution substitution() {
        Path c = configDir();
        Path d = dataDir();
        Function<String, String> lookup = name -> {
            if (name.equals("mailhive.config") && c != null) return c.toString();
            if (name.equals("mailhive.data") && d != null) return d.toString();
            return System.getProperty(name);
        };
        return new Substitution(lookup);
    }

    private static String first(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }
}
