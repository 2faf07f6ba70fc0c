package org.mailhive.delivery.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who a mailbox_command runs as. A JVM running as root must not hand a message to a shell
 * command as root (Postfix never does): it switches to default_privs with util-linux setpriv,
 * and refuses when setpriv is missing. A JVM not running as root runs the command as itself.
 */
final class CommandPrivileges {

    /** The words to put in front of {@code /bin/sh -c}, or why the command must not run now. */
    record Decision(List<String> prefix, String refusal) {
        static Decision run(List<String> prefix) {
            return new Decision(List.copyOf(prefix), null);
        }

        static Decision refuse(String why) {
            return new Decision(List.of(), why);
        }

        boolean refused() {
            return refusal != null;
        }
    }

    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"),
            Path.of("/usr/sbin/setpriv"), Path.of("/sbin/setpriv"));

    private final boolean root;
    private final Optional<Path> setpriv;
    private final Path passwd;

    CommandPrivileges(boolean root, Optional<Path> setpriv, Path passwd) {
        this.root = root;
        this.setpriv = setpriv;
        this.passwd = passwd;
    }

    /** As this process finds itself: its real uid, the setpriv on this system, /etc/passwd. */
    static CommandPrivileges system() {
        return new CommandPrivileges(runningAsRoot(), SETPRIV.stream().filter(Files::isExecutable).findFirst(),
                Path.of("/etc/passwd"));
    }

    private static boolean runningAsRoot() {
        try {
            // /proc/self belongs to the process's uid; needs no com.sun.* import inside OSGi
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Whether this process runs as root (and so writes files as root). */
    boolean root() {
        return root;
    }

    Decision decide(String defaultPrivs) {
        if (!root || defaultPrivs.isEmpty()) return Decision.run(List.of());
        if (setpriv.isEmpty()) {
            return Decision.refuse("running as root and setpriv (util-linux) is not installed: "
                    + "mailbox_command not run as root (default_privs=" + defaultPrivs + ")");
        }
        Optional<long[]> ids;
        try {
            ids = lookup(defaultPrivs);
        } catch (IOException e) {
            return Decision.refuse("cannot read " + passwd + " for default_privs=" + defaultPrivs + ": " + e);
        }
        if (ids.isEmpty()) return Decision.refuse("default_privs user " + defaultPrivs + " not found in " + passwd);
        if (ids.get()[0] == 0 || ids.get()[1] == 0) {
            return Decision.refuse("default_privs user " + defaultPrivs + " has uid or gid 0");
        }
        return Decision.run(List.of(setpriv.get().toString(), "--reuid=" + ids.get()[0], "--regid=" + ids.get()[1],
                "--clear-groups"));
    }

    /** uid and primary gid of a passwd entry, found by name. */
    private Optional<long[]> lookup(String user) throws IOException {
        for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || !f[0].equals(user)) continue;
            try {
                return Optional.of(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
