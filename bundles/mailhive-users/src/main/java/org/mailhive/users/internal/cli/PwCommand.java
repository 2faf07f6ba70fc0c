package org.mailhive.users.internal.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.mailhive.users.internal.scheme.PasswordSchemes;

/**
 * {@code mailhive pw}, after {@code doveadm pw}: {@code [-s SCHEME] [-p PASSWORD] [-r ROUNDS]
 * [-t HASH] [-V] [-l]}. Prints {@code {SCHEME}hash}, or with {@code -t} checks a hash and prints
 * it followed by {@code (verified)}. Messages use doveadm's words so that scripts and habits
 * carry over; exit codes are Mailhive's: 0 done, 1 failed (mismatch), 2 usage.
 */
public final class PwCommand {

    static final String USAGE = "usage: mailhive pw [-l] [-p PASSWORD] [-r ROUNDS] [-s SCHEME] [-t HASH] [-V]";

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final UsersCommand.Prompt prompt;
    /** The Gogo console takes the password as a plain argument; the shell command does not (shell history). */
    private final boolean passwordArgument;
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    PwCommand(InputStream stdin, PrintStream out, PrintStream err, UsersCommand.Prompt prompt,
            boolean passwordArgument) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
        this.passwordArgument = passwordArgument;
    }

    public static void main(String[] args) {
        System.exit(forConsole(System.console()).run(args));
    }

    static PwCommand forConsole(Console console) {
        UsersCommand.Prompt prompt = console == null ? null : text -> console.readPassword("%s", text);
        return new PwCommand(System.in, System.out, System.err, prompt, false);
    }

    /** Runs the command and returns the exit code instead of exiting, so tests can call it. */
    int run(String... args) {
        try {
            execute(args);
            return 0;
        } catch (CommandException e) {
            err.println("Fatal: " + e.getMessage());
            if (e.exitCode() == 2) err.println(USAGE);
            return e.exitCode();
        } catch (IOException e) {
            err.println("Fatal: " + e);
            return 1;
        }
    }

    private void execute(String[] args) throws CommandException, IOException {
        String scheme = null;
        char[] password = null;
        String test = null;
        int rounds = 0;
        boolean list = false;
        boolean reverse = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-l" -> list = true;
                    case "-V" -> reverse = true;
                    case "-s" -> scheme = value(args, ++i, a);
                    case "-t" -> test = value(args, ++i, a);
                    case "-r" -> rounds = rounds(value(args, ++i, a));
                    // bin/mailhive passes the instance to every tool; hashing needs none
                    case "--config", "--data" -> value(args, ++i, a);
                    case "-p" -> {
                        if (password != null) Arrays.fill(password, '\0');
                        password = value(args, ++i, a).toCharArray();
                    }
                    default -> {
                        if (a.startsWith("--config=") || a.startsWith("--data=")) continue;
                        if (!passwordArgument || a.startsWith("-") || password != null) {
                            throw new CommandException(2, "unexpected argument " + a);
                        }
                        password = a.toCharArray();
                    }
                }
            }
            if (list) {
                out.println(String.join(" ", schemes.names()));
                return;
            }
            if (scheme != null && !schemes.isKnown(scheme)) throw new CommandException(2, "Unknown scheme: " + scheme);
            if (test != null) {
                verify(test, scheme, password);
            } else {
                generate(scheme == null ? PasswordSchemes.DEFAULT_SCHEME : scheme, password, rounds, reverse);
            }
        } finally {
            if (password != null) Arrays.fill(password, '\0');
        }
    }

    private void generate(String scheme, char[] given, int rounds, boolean reverse)
            throws CommandException, IOException {
        char[] password = given != null ? given.clone() : readNew();
        try {
            if (password.length == 0) throw new CommandException(1, "Empty passwords are not allowed");
            String hash;
            try {
                hash = schemes.encode(scheme, password, rounds);
            } catch (IllegalArgumentException e) {
                throw new CommandException(2, e.getMessage());
            }
            if (reverse) {
                if (!schemes.verify(hash, password)) {
                    throw new CommandException(1, "reverse password verification check failed: Password mismatch");
                }
                out.println(hash + " (verified)");
            } else {
                out.println(hash);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void verify(String hash, String scheme, char[] given) throws CommandException, IOException {
        String stored = hash;
        if (!hash.startsWith("{")) {
            // doveadm wants {SCHEME}; bare crypt(3) hashes are what passwd files hold, so they pass too
            if (scheme != null) {
                stored = "{" + scheme.toUpperCase(Locale.ROOT) + "}" + hash;
            } else if (schemes.schemeOf(hash).isEmpty()) {
                throw new CommandException(1, "Missing {scheme} prefix from hash");
            }
        } else if (schemes.schemeOf(hash).isEmpty()) {
            int close = hash.indexOf('}');
            throw new CommandException(2, "Unknown scheme: " + (close < 0 ? hash : hash.substring(1, close)));
        }
        char[] password = given != null ? given.clone() : readOnce();
        try {
            if (!schemes.verify(stored, password)) {
                throw new CommandException(1, "reverse password verification check failed: Password mismatch");
            }
            out.println(hash + " (verified)");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] readNew() throws CommandException, IOException {
        if (prompt == null) return UsersCommand.readLine(stdin);
        char[] first = prompt.readPassword("Enter new password: ");
        char[] second = prompt.readPassword("Retype new password: ");
        try {
            if (first == null || second == null) throw new CommandException(1, "No password given");
            if (!Arrays.equals(first, second)) throw new CommandException(1, "Passwords don't match!");
            return first.clone();
        } finally {
            if (first != null) Arrays.fill(first, '\0');
            if (second != null) Arrays.fill(second, '\0');
        }
    }

    private char[] readOnce() throws CommandException, IOException {
        if (prompt == null) return UsersCommand.readLine(stdin);
        char[] pw = prompt.readPassword("Enter password to verify: ");
        if (pw == null) throw new CommandException(1, "No password given");
        return pw;
    }

    private static String value(String[] args, int i, String option) throws CommandException {
        if (i >= args.length) throw new CommandException(2, option + " needs a value");
        return args[i];
    }

    private static int rounds(String s) throws CommandException {
        try {
            int r = Integer.parseInt(s);
            if (r < 1) throw new NumberFormatException();
            return r;
        } catch (NumberFormatException e) {
            throw new CommandException(2, "-r needs a positive number, not " + s);
        }
    }
}
