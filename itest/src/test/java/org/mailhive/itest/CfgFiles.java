package org.mailhive.itest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Edits .cfg files the way an operator would. Plain JDK: used inside and outside the container. */
final class CfgFiles {

    static final String LISTENER_PID = "org.mailhive.smtp.listener";
    static final String POP3_LISTENER_PID = "org.mailhive.pop3.listener";

    private CfgFiles() {
    }

    /** The shipped MTA listener (port 25's job), whichever factory-file syntax it uses. */
    static Path listenerCfg(Path config) throws IOException {
        List<Path> all = listenerCfgs(config);
        return all.stream().filter(p -> listenerName(p).equals("mta")).findFirst()
                .orElseGet(() -> all.stream().findFirst()
                        .orElseThrow(() -> new IllegalStateException("no " + LISTENER_PID + " .cfg in " + config)));
    }

    /** Every SMTP listener configuration file, sorted. */
    static List<Path> listenerCfgs(Path config) throws IOException {
        return listenerCfgs(config, LISTENER_PID);
    }

    /** Every configuration file of a listener factory PID, sorted. */
    static List<Path> listenerCfgs(Path config, String factoryPid) throws IOException {
        try (Stream<Path> files = Files.list(config)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return (name.startsWith(factoryPid + "-") || name.startsWith(factoryPid + "~"))
                        && name.endsWith(".cfg");
            }).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    /** {@code org.mailhive.smtp.listener-submission.cfg} → {@code submission}. */
    static String listenerName(Path cfg) {
        String name = cfg.getFileName().toString();
        int dash = name.indexOf(".listener") + ".listener".length();
        return name.substring(dash + 1, name.length() - ".cfg".length());
    }

    /**
     * Replaces (or appends) one key. Written beside the file under a name FileInstall ignores and
     * moved over it, so FileInstall never reads half a file.
     */
    static void set(Path cfg, String key, String value) throws IOException {
        List<String> out = new ArrayList<>();
        boolean found = false;
        for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("#") && trimmed.matches("\\Q" + key + "\\E\\s*[=:].*")) {
                out.add(key + " = " + value);
                found = true;
            } else {
                out.add(line);
            }
        }
        if (!found) {
            out.add(key + " = " + value);
        }
        Path tmp = cfg.resolveSibling(cfg.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The value of a key that is set (not commented out) in a .cfg file. */
    static String value(Path cfg, String key) throws IOException {
        for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.matches("\\Q" + key + "\\E\\s*[=:].*")) return t.split("[=:]", 2)[1].trim();
        }
        throw new IllegalStateException(key + " not in " + cfg);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
