package org.mailhive.admin.internal.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mailhive.admin.internal.Answer;
import org.mailhive.admin.internal.ConfigFiles;
import org.mailhive.admin.internal.ConfigReport;
import org.mailhive.admin.internal.MetatypeCatalogue;

/**
 * {@code mailhive config [--config DIR] [--bundles DIR] [-d] [-n] [-x] [KEY...]}, Postfix's postconf,
 * on the .cfg files: works whether the server runs or not. Defaults come from the metatype of
 * the jars in {@code MAILHIVE_HOME/bundle}. Exit 0 ok, 1 an unknown parameter, 2 usage.
 */
public final class ConfigCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    ConfigCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new ConfigCommand(System.out, System.err, System.getenv()).run(args));
    }

    int run(String... args) {
        CliOptions o = CliOptions.parse(args, env);
        if (o.problem != null) return print(Answer.usage("mailhive config: " + o.problem, ConfigReport.USAGE));
        ConfigReport.Options opts = ConfigReport.parse(o.words);
        if (opts == null) return print(Answer.usage("mailhive config: unknown option", ConfigReport.USAGE));
        Path config = o.configDir();
        if (config == null) return print(Answer.usage("mailhive config: --config DIR is required", ConfigReport.USAGE));
        if (!Files.isDirectory(config)) {
            err.println("mailhive config: " + config + " is not a directory");
            return 1;
        }
        try {
            Path bundles = o.bundleDir();
            MetatypeCatalogue cat = bundles == null ? new MetatypeCatalogue() : MetatypeCatalogue.fromJars(bundles);
            if (cat.all().isEmpty()) {
                err.println("mailhive config: warning: no bundle metatype found in " + bundles
                        + " (use --bundles DIR); showing only what the files set");
            }
            return print(new ConfigReport(cat, o.substitution()).run(ConfigFiles.read(config), opts));
        } catch (IOException e) {
            err.println("mailhive config: " + e.getMessage());
            return 1;
        }
    }

    private int print(Answer a) {
        a.out().forEach(out::println);
        a.err().forEach(err::println);
        return a.exit();
    }
}
