package org.mailhive.admin.internal.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mailhive.admin.internal.Answer;
import org.mailhive.admin.internal.ConfigChecker;
import org.mailhive.admin.internal.MetatypeCatalogue;

/**
 * {@code mailhive check [--config DIR] [--data DIR] [--bundles DIR]}, Postfix's {@code postfix check}:
 * prints one line per problem ({@code error: FILE: KEY: reason}, {@code warning: …}) and nothing
 * when all is fine. Exit 0 no error (warnings allowed), 1 an error, 2 usage.
 */
public final class CheckCommand {

    static final String USAGE = "usage: mailhive check [--config DIR] [--data DIR] [--bundles DIR]";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    CheckCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new CheckCommand(System.out, System.err, System.getenv()).run(args));
    }

    int run(String... args) {
        CliOptions o = CliOptions.parse(args, env);
        if (o.problem != null) return usage(o.problem);
        if (!o.words.isEmpty()) return usage("unexpected argument " + o.words.get(0));
        Path config = o.configDir();
        if (config == null) return usage("--config DIR is required");
        if (!Files.isDirectory(config)) {
            out.println("error: mailhive.config: " + config + " is not a directory");
            return 1;
        }
        try {
            Path bundles = o.bundleDir();
            MetatypeCatalogue cat = bundles == null ? new MetatypeCatalogue() : MetatypeCatalogue.fromJars(bundles);
            Answer a = new ConfigChecker(cat, o.substitution(), config, o.dataDir()).check().answer();
            a.out().forEach(out::println);
            return a.exit();
        } catch (IOException e) {
            out.println("error: mailhive.home: " + e.getMessage());
            return 1;
        }
    }

    private int usage(String problem) {
        err.println("mailhive check: " + problem);
        err.println(USAGE);
        return 2;
    }
}
