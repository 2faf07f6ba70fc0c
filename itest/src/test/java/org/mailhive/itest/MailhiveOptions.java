package org.mailhive.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * Boots exactly what the distribution ships: the jars of runtime/target/mailhive/boot (start
 * level 1) and bundle/ (level 2), its conf/config.properties as framework properties, and a
 * private copy of its config/ directory watched by FileInstall. Runs in the test JVM, before
 * the framework starts; tests read the chosen values back as framework properties.
 */
final class MailhiveOptions {

    static final String PORT_PROPERTY = "mailhive.itest.smtp.port";

    /**
     * The port a listener of this framework got ("mta", or a listener's name such as "pop3"),
     * once it accepts connections.
     */
    static int listenerPort(org.osgi.framework.BundleContext context, String listener) throws Exception {
        String key = listener.equals("mta") ? PORT_PROPERTY : PORT_PROPERTY + "." + listener;
        int port = Integer.parseInt(context.getProperty(key));
        Await.until(listener + " listener on port " + port, () -> SmtpClient.accepts(port));
        return port;
    }
    static final String LISTENER_CFG_PROPERTY = "mailhive.itest.listener.cfg";

    private MailhiveOptions() {
    }

    static Option[] options(String testName) {
        try {
            Path dist = Paths.get(System.getProperty("mailhive.dist", "../runtime/target/mailhive"))
                    .toAbsolutePath().normalize();
            if (!Files.isDirectory(dist.resolve("bundle"))) {
                throw new IllegalStateException("no assembled distribution at " + dist
                        + "; build the runtime module first");
            }
            Path root = Files.createTempDirectory("mailhive-itest-" + testName + "-");
            // Pax Exam stops the framework before the forked test JVM exits
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            Path config = root.resolve("config");
            Path data = Files.createDirectories(root.resolve("data"));
            Files.createDirectories(root.resolve("deploy"));
            copyTree(dist.resolve("config"), config);

            int port = CfgFiles.freePort();
            Path listenerCfg = CfgFiles.listenerCfg(config);
            CfgFiles.set(listenerCfg, "port", Integer.toString(port));
            CfgFiles.set(listenerCfg, "bind", "127.0.0.1");
            // every other listener (submission, smtps) gets a free port too, named by its file
            List<Option> listenerPorts = new ArrayList<>();
            List<Path> listeners = new ArrayList<>(CfgFiles.listenerCfgs(config));
            listeners.addAll(CfgFiles.listenerCfgs(config, CfgFiles.POP3_LISTENER_PID));
            for (Path cfg : listeners) {
                if (cfg.equals(listenerCfg)) continue;
                int p = CfgFiles.freePort();
                CfgFiles.set(cfg, "port", Integer.toString(p));
                CfgFiles.set(cfg, "bind", "127.0.0.1");
                listenerPorts.add(frameworkProperty(PORT_PROPERTY + "." + CfgFiles.listenerName(cfg))
                        .value(Integer.toString(p)));
            }
            // deferred mail is retried within seconds, so tests can watch a retry happen
            CfgFiles.set(config.resolve("org.mailhive.queue.cfg"), "minimal_backoff_time", "1s");
            CfgFiles.set(config.resolve("org.mailhive.queue.cfg"), "maximal_backoff_time", "2s");
            Files.write(config.resolve("users"),
                    "alice@localhost:{PLAIN}secret1\n".getBytes(StandardCharsets.UTF_8));

            List<Option> options = new ArrayList<>();
            Properties felix = new Properties();
            try (InputStream in = Files.newInputStream(dist.resolve("conf/config.properties"))) {
                felix.load(in);
            }
            for (String key : felix.stringPropertyNames()) {
                if (!key.startsWith("org.osgi.framework.storage")) {
                    options.add(frameworkProperty(key).value(felix.getProperty(key)));
                }
            }
            options.add(frameworkProperty("mailhive.home").value(root.toString()));
            options.add(frameworkProperty("mailhive.config").value(config.toString()));
            options.add(frameworkProperty("mailhive.data").value(data.toString()));
            options.add(frameworkProperty("felix.fileinstall.dir").value(config.toString()));
            options.add(frameworkProperty(PORT_PROPERTY).value(Integer.toString(port)));
            options.add(frameworkProperty(LISTENER_CFG_PROPERTY).value(listenerCfg.toString()));
            options.addAll(listenerPorts);
            // the test JVM's own slf4j binding must not leak into the bundles
            options.add(frameworkProperty("felix.bootdelegation.implicit").value("false"));
            options.add(systemProperty("pax.exam.logging").value("none"));
            options.add(frameworkProperty("gosh.args").value("--nointeractive"));
            for (Path jar : jars(dist.resolve("boot"))) {
                options.add(bundle(jar.toUri().toString()).startLevel(1).start());
            }
            for (Path jar : jars(dist.resolve("bundle"))) {
                options.add(bundle(jar.toUri().toString()).startLevel(2).start());
            }
            options.add(junitBundles());
            options.add(cleanCaches(true));
            return options.toArray(new Option[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp directory is harmless; the test result must not depend on it
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
