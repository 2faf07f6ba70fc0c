package org.mailhive.users.internal.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the shell commands for the Gogo console with their output captured, so that
 * {@code mailhive:pw} and {@code mailhive:user} answer exactly as {@code bin/mailhive} does.
 */
public final class ConsoleSupport {

    /** What a command printed and its exit code. */
    public record Outcome(int exitCode, String out, String err) {
    }

    private ConsoleSupport() {
    }

    /** {@code pw [-s SCHEME] [-r ROUNDS] [-t HASH] [-l] PASSWORD}: the password may be a plain argument here. */
    public static Outcome pw(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new PwCommand(new ByteArrayInputStream(new byte[0]), print(out), print(err), null, true).run(args);
        return new Outcome(code, text(out), text(err));
    }

    /**
     * {@code list | add USER PASSWORD | passwd USER PASSWORD | del USER}, with {@code --scheme S},
     * on the given passwd file. The password is an argument because the console has no second
     * channel for it.
     */
    public static Outcome user(Path passwdFile, String... words) {
        List<String> args = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.equals("--scheme") && i + 1 < words.length) {
                args.add(w);
                args.add(words[++i]);
            } else if (w.startsWith("-")) {
                args.add(w);
            } else {
                positional.add(w);
            }
        }
        byte[] stdin = new byte[0];
        boolean takesPassword = !positional.isEmpty()
                && (positional.get(0).equals("add") || positional.get(0).equals("passwd"));
        if (takesPassword && positional.size() == 3) {
            stdin = (positional.remove(2) + "\n").getBytes(StandardCharsets.UTF_8);
            args.add("--password-stdin");
        } else if (takesPassword) {
            return new Outcome(2, "", "usage: user add|passwd USER@DOMAIN PASSWORD [--scheme SCHEME]\n");
        }
        args.add("--file");
        args.add(passwdFile.toString());
        args.addAll(positional);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new UsersCommand(new ByteArrayInputStream(stdin), print(out), print(err), null)
                .run(args.toArray(new String[0]));
        return new Outcome(code, text(out), text(err));
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
