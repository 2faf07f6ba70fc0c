package org.mailhive.delivery.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.users.MailUser;

/**
 * Who a mailbox_command runs as. A JVM running as root must not hand a message to a shell
 * command as root (Postfix never does): it switches to default_privs with util-linux setpriv,
 * and refuses when setpriv is missing. A JVM not running as root runs the command as itself.
 * A user with a uid and gid of its own (system users, passwd-file lines with those columns) is
 * switched to instead, and owns the files of its mailbox, as with Postfix's local(8) for a local
 * user; uid 0 is never switched to: such a user gets default_privs and root-owned files.
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

    /**
     * Who owns this user's mail files: its uid and gid when this process is root and can give
     * files away; empty when not root (files are then the server's, as always) or for uid/gid 0.
     */
    Optional<MailboxLocation.Owner> ownerOf(MailUser user) {
        if (!root) return Optional.empty();
        long uid = number(user.field("uid", ""));
        long gid = number(user.field("gid", ""));
        if (uid <= 0 || gid <= 0 || uid > Integer.MAX_VALUE || gid > Integer.MAX_VALUE) return Optional.empty();
        return Optional.of(new MailboxLocation.Owner((int) uid, (int) gid));
    }

    private static long number(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        return Long.parseLong(s);
    }

    /** As {@link #decide}, but a user who owns its files runs the command as itself. */
    Decision decideFor(MailUser user, String defaultPrivs) {
        Optional<MailboxLocation.Owner> owner = ownerOf(user);
        if (owner.isEmpty()) return decide(defaultPrivs);
        if (setpriv.isEmpty()) {
            return Decision.refuse("running as root and setpriv (util-linux) is not installed: "
                    + "command not run as " + user.name() + " (uid " + owner.get().uid() + ")");
        }
        // --clear-groups: --init-groups would need the uid's name in this system's group database
        return Decision.run(List.of(setpriv.get().toString(), "--reuid=" + owner.get().uid(),
                "--regid=" + owner.get().gid(), "--clear-groups"));
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
