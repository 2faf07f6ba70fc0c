package org.mailhive.queue.internal.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.mailhive.queue.internal.QueueCommands;
import org.mailhive.queue.internal.QueueControl;

/**
 * {@code mailhive queue list|show|flush|delete|hold|release|requeue} (and {@code mailq}). Plain
 * Java, no OSGi: it runs with the bundle jars on the class path. When the server runs, its queue
 * manager carries the command out; when it does not, the command works on the queue files.
 * Exit codes: 0 done, 1 failed, 2 usage.
 */
public final class QueueCommand {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final PrintStream err;
    private final Duration timeout;

    QueueCommand(PrintStream out, PrintStream err, Duration timeout) {
        this.out = out;
        this.err = err;
        this.timeout = timeout;
    }

    public static void main(String[] args) {
        // no logging provider on this class path: keep SLF4J's notice about that off the terminal
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(new QueueCommand(System.out, System.err, ANSWER_TIMEOUT).run(args));
    }

    /** Runs one command and returns the exit code instead of exiting, so tests can call it. */
    int run(String... args) {
        String configDir = System.getProperty("mailhive.config");
        String dataDir = System.getProperty("mailhive.data");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--data")) {
                if (i + 1 >= args.length) return usage(a + " needs a value");
                if (a.equals("--config")) {
                    configDir = args[++i];
                } else {
                    dataDir = args[++i];
                }
            } else if (a.startsWith("--config=")) {
                configDir = a.substring("--config=".length());
            } else if (a.startsWith("--data=")) {
                dataDir = a.substring("--data=".length());
            } else if (a.startsWith("-") && !a.equals("--json")) {
                return usage("unknown option " + a);
            } else {
                words.add(a);
            }
        }
        if (configDir == null || configDir.isEmpty()) return usage("--config DIR is required");
        if (dataDir == null || dataDir.isEmpty()) return usage("--data DIR is required");
        String problem = QueueCommands.usageProblem(words);
        if (problem != null) return usage(problem);
        try {
            Path root = queueDirectory(Path.of(configDir), Path.of(dataDir));
            QueueCommands.Answer a = QueueControl.execute(root, words, timeout);
            if (a.exitCode() == 0) {
                out.print(a.text());
                out.flush();
            } else {
                err.println("mailhive queue: " + a.text().strip());
                if (a.exitCode() == 2) err.println(QueueCommands.USAGE);
            }
            return a.exitCode();
        } catch (IOException e) {
            err.println("mailhive queue: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mailhive queue: interrupted");
            return 1;
        }
    }

    private int usage(String problem) {
        err.println("mailhive queue: " + problem);
        err.println(QueueCommands.USAGE);
        return 2;
    }

    /** The directory the server uses: queue_directory from the .cfg when set there, else DATA/queue. */
    static Path queueDirectory(Path configDir, Path dataDir) throws IOException {
        Path cfg = configDir.resolve("org.mailhive.queue.cfg");
        if (Files.isRegularFile(cfg)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String v = p.getProperty("queue_directory", "").trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            if (!v.isEmpty()) {
                return Path.of(v.replace("${mailhive.data}", dataDir.toString())
                        .replace("${mailhive.config}", configDir.toString())).toAbsolutePath().normalize();
            }
        }
        return dataDir.resolve("queue").toAbsolutePath().normalize();
    }
}
