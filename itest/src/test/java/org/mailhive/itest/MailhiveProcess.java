package org.mailhive.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The assembled distribution run as an operator runs it: {@code bin/mailhive run} as a separate
 * process, stopped only by SIGKILL. The script {@code exec}s java, so the process is the JVM.
 */
final class MailhiveProcess {

    /** Small heap and serial GC: the CI machine has two cores and the test boots three JVMs. */
    private static final String JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private final Path home;
    private final Path config;
    private final Path data;
    private final Path console;
    private Process process;

    MailhiveProcess(Path config, Path data, Path console) {
        this.home = distribution();
        this.config = config;
        this.data = data;
        this.console = console;
    }

    static Path distribution() {
        Path dist = Paths.get(System.getProperty("mailhive.dist", "../runtime/target/mailhive"))
                .toAbsolutePath().normalize();
        if (!Files.isExecutable(dist.resolve("bin/mailhive"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build the runtime module first)");
        }
        return dist;
    }

    /**
     * A fresh instance beside the distribution: its shipped configuration copied into
     * {@code config} with every SMTP and POP3 listener on a free loopback port, and an empty
     * {@code data}. Returns the port of the MTA listener.
     */
    static int prepareInstance(Path config, Path data) throws IOException {
        Files.createDirectories(config);
        Files.createDirectories(data);
        try (java.util.stream.Stream<Path> files = Files.list(distribution().resolve("config"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        List<Path> listeners = new ArrayList<>(CfgFiles.listenerCfgs(config));
        listeners.addAll(CfgFiles.listenerCfgs(config, CfgFiles.POP3_LISTENER_PID));
        for (Path cfg : listeners) {
            CfgFiles.set(cfg, "port", Integer.toString(CfgFiles.freePort()));
            CfgFiles.set(cfg, "bind", "127.0.0.1");
        }
        return Integer.parseInt(CfgFiles.value(CfgFiles.listenerCfg(config), "port"));
    }

    void start() throws IOException {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        ProcessBuilder pb = command("run");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        process = pb.start();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * kill -9 of the JVM and anything it started; returns once the kernel has reaped them all,
     * so every socket of the server is closed and no file is being written any more.
     */
    void killHard() throws Exception {
        if (process == null) return;
        ProcessHandle jvm = process.toHandle();
        List<ProcessHandle> family = new ArrayList<>(jvm.descendants().toList());
        jvm.destroyForcibly();
        for (ProcessHandle p : family) p.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + jvm.pid() + " survived SIGKILL");
        }
        family.add(jvm);
        Await.until("every process of the killed server gone", 10_000,
                () -> family.stream().noneMatch(ProcessHandle::isAlive));
        process = null;
    }

    /** Runs {@code bin/mailhive queue ARGS} to completion; the first element of the answer is the exit code. */
    String[] queue(String... args) throws Exception {
        List<String> words = new ArrayList<>();
        words.add("queue");
        words.addAll(List.of(args));
        ProcessBuilder pb = command(words.toArray(new String[0]));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/mailhive queue " + args[0] + " did not finish within 30 s");
        }
        return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console output: " + e + ")";
        }
    }

    private ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/mailhive").toString());
        cmd.add("--config");
        cmd.add(config.toString());
        cmd.add("--data");
        cmd.add(data.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_OPTS", JAVA_OPTS);
        pb.environment().remove("MAILHIVE_CONFIG");
        pb.environment().remove("MAILHIVE_DATA");
        return pb;
    }
}
