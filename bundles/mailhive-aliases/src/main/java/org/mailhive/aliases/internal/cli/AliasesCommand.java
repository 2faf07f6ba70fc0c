package org.mailhive.aliases.internal.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.mailhive.aliases.internal.AliasFileParser;
import org.mailhive.aliases.internal.AliasSyntaxException;
import org.mailhive.aliases.internal.AliasTable;
import org.mailhive.aliases.internal.AliasValue;

/**
 * {@code mailhive aliases rebuild|check} (and newaliases): parses every alias_maps and
 * virtual_alias_maps file and the :include: files they name, and prints each error as
 * {@code file:line: reason}. Nothing is compiled: a running server reloads changed files by
 * itself, and keeps its last good map while a file has errors. Plain Java, no OSGi, no logging
 * framework. Exit codes: 0 no errors, 1 errors, 2 usage.
 */
public final class AliasesCommand {

    static final String USAGE = String.join("\n",
            "usage: mailhive aliases [--config DIR] rebuild   check the aliases files; the server reloads them",
            "       mailhive aliases [--config DIR] check     the same, silent when all is well");

    private final PrintStream out;
    private final PrintStream err;

    AliasesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new AliasesCommand(System.out, System.err).run(args));
    }

    int run(String... args) {
        String configDir = System.getProperty("mailhive.config");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config")) {
                if (i + 1 >= args.length) return usage("--config needs a value");
                configDir = args[++i];
            } else if (a.startsWith("--config=")) {
                configDir = a.substring("--config=".length());
            } else if (a.startsWith("-")) {
                return usage("unknown option " + a);
            } else {
                words.add(a);
            }
        }
        if (words.size() != 1) return usage(words.isEmpty() ? "no command given" : "too many arguments");
        String command = words.get(0);
        if (!command.equals("rebuild") && !command.equals("check")) return usage("unknown command " + command);
        if (configDir == null || configDir.isEmpty()) return usage("--config DIR is required");
        try {
            return check(Path.of(configDir), command.equals("rebuild"));
        } catch (IOException e) {
            err.println("mailhive aliases: " + e);
            return 1;
        }
    }

    private int usage(String problem) {
        err.println("mailhive aliases: " + problem);
        err.println(USAGE);
        return 2;
    }

    private int check(Path configDir, boolean verbose) throws IOException {
        Properties cfg = config(configDir);
        List<String> errors = new ArrayList<>();
        Set<Path> includes = new LinkedHashSet<>();
        int names = 0;
        for (Path file : files(cfg.getProperty("alias_maps", "${mailhive.config}/aliases"), configDir, errors)) {
            AliasTable t = table(file, false, errors);
            if (t == null) continue;
            names += t.entries().size();
            collectIncludes(t, includes);
            if (verbose) out.println(file + ": " + t.entries().size() + " aliases" + (t.ok() ? "" : ", with errors"));
        }
        for (Path file : files(cfg.getProperty("virtual_alias_maps", ""), configDir, errors)) {
            AliasTable t = table(file, true, errors);
            if (t == null) continue;
            if (verbose) out.println(file + ": " + t.entries().size() + " virtual aliases" + (t.ok() ? "" : ", with errors"));
        }
        for (Path inc : includes) {
            if (!Files.isRegularFile(inc)) {
                errors.add(inc + ": included file does not exist");
                continue;
            }
            List<AliasSyntaxException> found = new ArrayList<>();
            AliasFileParser.parseValues(inc.toString(), read(inc), found);
            found.forEach(e -> errors.add(e.getMessage()));
        }
        errors.forEach(err::println);
        if (!errors.isEmpty()) {
            err.println("mailhive aliases: " + errors.size() + " error(s); a running server keeps its previous"
                    + " entries for a file with errors");
            return 1;
        }
        if (verbose) out.println(names + " aliases; a running server reloads changed files by itself");
        return 0;
    }

    private AliasTable table(Path file, boolean virtual, List<String> errors) throws IOException {
        if (!Files.isRegularFile(file)) {
            errors.add(file + ": does not exist");
            return null;
        }
        List<String> lines = read(file);
        AliasTable t = virtual ? AliasFileParser.parseVirtual(file.toString(), lines)
                : AliasFileParser.parseAliases(file.toString(), lines);
        t.errors().forEach(e -> errors.add(e.getMessage()));
        return t;
    }

    private static void collectIncludes(AliasTable t, Set<Path> includes) {
        for (List<AliasValue> values : t.entries().values()) {
            for (AliasValue v : values) {
                if (v.kind() == AliasValue.Kind.INCLUDE) includes.add(Path.of(v.text()));
            }
        }
    }

    private static List<String> read(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** The server's own configuration, so the command checks the files the server reads. */
    static Properties config(Path configDir) throws IOException {
        Properties p = new Properties();
        Path cfg = configDir.resolve("org.mailhive.aliases.cfg");
        if (Files.isRegularFile(cfg)) {
            try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }

    private static List<Path> files(String value, Path configDir, List<String> errors) {
        String v = value.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        List<Path> out = new ArrayList<>();
        for (String s : v.split("[,\\s]+")) {
            if (s.isEmpty()) continue;
            Path p = Path.of(s.replace("${mailhive.config}", configDir.toString()));
            if (!p.isAbsolute()) {
                errors.add(s + ": must be an absolute path");
                continue;
            }
            out.add(p);
        }
        return out;
    }
}
