package org.mailhive.users.internal.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.users.internal.PasswdEntry;
import org.mailhive.users.internal.PasswdFile;
import org.mailhive.users.internal.scheme.PasswordSchemes;

/**
 * {@code mailhive-users add|del|passwd|list}: edits the passwd file while the server runs (the
 * server notices the new file by itself); {@code pw …} is {@link PwCommand}. Plain Java, no
 * OSGi: it runs with the bundle jars on the class path. Exit codes: 0 done, 1 failed, 2 usage.
 */
public final class UsersCommand {

    /** Reads a password without echo; null when there is no terminal. */
    interface Prompt {
        char[] readPassword(String prompt);
    }

    static final String USAGE = String.join("\n",
            "usage: mailhive-users [--config DIR] add USER@DOMAIN [--password-stdin] [--scheme SCHEME]",
            "       mailhive-users [--config DIR] del USER@DOMAIN",
            "       mailhive-users [--config DIR] passwd USER@DOMAIN [--password-stdin] [--scheme SCHEME]",
            "       mailhive-users [--config DIR] list",
            "       mailhive-users pw [-l] [-p PASSWORD] [-r ROUNDS] [-s SCHEME] [-t HASH] [-V]",
            "  --file PATH uses that passwd file instead of the one org.mailhive.users.cfg names");

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Prompt prompt;
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    UsersCommand(InputStream stdin, PrintStream out, PrintStream err, Prompt prompt) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
    }

    public static void main(String[] args) {
        Console console = System.console();
        Prompt prompt = console == null ? null : text -> console.readPassword("%s", text);
        System.exit(new UsersCommand(System.in, System.out, System.err, prompt).run(args));
    }

    /** Runs one command and returns the exit code instead of exiting, so tests can call it. */
    int run(String... args) {
        try {
            return execute(args);
        } catch (CommandException e) {
            err.println("mailhive-users: " + e.getMessage());
            if (e.exitCode() == 2) err.println(USAGE);
            return e.exitCode();
        } catch (IOException e) {
            err.println("mailhive-users: " + e);
            return 1;
        }
    }

    private int execute(String[] args) throws CommandException, IOException {
        int pw = pwIndex(args);
        if (pw >= 0) {
            // the password tool needs no passwd file; --config before it is accepted and unused
            return new PwCommand(stdin, out, err, prompt, false).run(Arrays.copyOfRange(args, pw + 1, args.length));
        }
        String configDir = System.getProperty("mailhive.config");
        String file = null;
        String scheme = PasswordSchemes.DEFAULT_SCHEME;
        boolean fromStdin = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--scheme") || a.equals("--file")) {
                if (i + 1 >= args.length) throw new CommandException(2, a + " needs a value");
                if (a.equals("--config")) {
                    configDir = args[++i];
                } else if (a.equals("--file")) {
                    file = args[++i];
                } else {
                    scheme = args[++i];
                }
            } else if (a.startsWith("--file=")) {
                file = a.substring("--file=".length());
            } else if (a.startsWith("--config=")) {
                configDir = a.substring("--config=".length());
            } else if (a.startsWith("--scheme=")) {
                scheme = a.substring("--scheme=".length());
            } else if (a.equals("--password-stdin")) {
                fromStdin = true;
            } else if (a.startsWith("-")) {
                throw new CommandException(2, "unknown option " + a);
            } else {
                words.add(a);
            }
        }
        if (words.isEmpty()) throw new CommandException(2, "no command given");
        if (file == null && (configDir == null || configDir.isEmpty())) {
            throw new CommandException(2, "--config DIR is required");
        }
        String command = words.get(0);
        int want = command.equals("list") ? 1 : 2;
        if (!List.of("add", "del", "passwd", "list").contains(command)) {
            throw new CommandException(2, "unknown command " + command);
        }
        if (words.size() != want) throw new CommandException(2, "wrong number of arguments for " + command);
        scheme = scheme.toUpperCase(Locale.ROOT);
        if (!schemes.isKnown(scheme)) {
            throw new CommandException(2, "unknown scheme " + scheme + "; one of " + schemes.names());
        }
        PasswdFileEditor editor = new PasswdFileEditor(file != null ? Path.of(file) : passwdFile(Path.of(configDir)));
        switch (command) {
            case "list" -> list(editor);
            case "del" -> delete(editor, words.get(1));
            case "add" -> add(editor, validUser(words.get(1)), scheme, fromStdin);
            default -> passwd(editor, words.get(1), scheme, fromStdin);
        }
        return 0;
    }

    /** Where {@code pw} stands as the command word (after an optional --config DIR), or -1. */
    private static int pwIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config")) {
                i++;
            } else if (!a.startsWith("--config=")) {
                return a.equals("pw") ? i : -1;
            }
        }
        return -1;
    }

    /** The file the server uses: passwd_file from the .cfg when set there, else DIR/users. */
    static Path passwdFile(Path configDir) throws IOException {
        Path cfg = configDir.resolve("org.mailhive.users.cfg");
        if (Files.isRegularFile(cfg)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String v = p.getProperty("passwd_file", "").trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            if (!v.isEmpty()) return Path.of(v.replace("${mailhive.config}", configDir.toString()));
        }
        return configDir.resolve("users");
    }

    private static String validUser(String user) throws CommandException {
        String problem = PasswdFile.userNameProblem(user);
        if (problem != null) throw new CommandException(1, problem);
        // domains are stored in their canonical lower-case form, local parts as given
        return MailAddress.parse(user).toString();
    }

    private void list(PasswdFileEditor editor) throws IOException {
        for (String line : editor.read()) {
            if (PasswdFile.isBlankOrComment(line)) continue;
            int colon = line.indexOf(':');
            out.println((colon < 0 ? line : line.substring(0, colon)).strip());
        }
    }

    private void add(PasswdFileEditor editor, String user, String scheme, boolean fromStdin)
            throws CommandException, IOException {
        String hash = newHash(scheme, fromStdin);
        String key = user.toLowerCase(Locale.ROOT);
        editor.edit(lines -> {
            for (String line : lines) {
                if (key.equals(PasswdFile.keyOf(line))) throw new CommandException(1, "user " + user + " already exists");
            }
            lines.add(new PasswdEntry(user, hash, "", "", "", "", "", "").format());
            return lines;
        });
        err.println("mailhive-users: added " + user + " to " + editor.file());
    }

    private void delete(PasswdFileEditor editor, String user) throws CommandException, IOException {
        String key = user.toLowerCase(Locale.ROOT);
        editor.edit(lines -> {
            boolean removed = lines.removeIf(line -> key.equals(PasswdFile.keyOf(line)));
            if (!removed) throw new CommandException(1, "unknown user " + user);
            return lines;
        });
        err.println("mailhive-users: deleted " + user);
    }

    private void passwd(PasswdFileEditor editor, String user, String scheme, boolean fromStdin)
            throws CommandException, IOException {
        String key = user.toLowerCase(Locale.ROOT);
        // fail before asking for a password when the user does not exist
        if (editor.read().stream().noneMatch(line -> key.equals(PasswdFile.keyOf(line)))) {
            throw new CommandException(1, "unknown user " + user);
        }
        String hash = newHash(scheme, fromStdin);
        editor.edit(lines -> {
            for (int i = 0; i < lines.size(); i++) {
                if (key.equals(PasswdFile.keyOf(lines.get(i)))) {
                    lines.set(i, replacePassword(lines.get(i), hash));
                    return lines;
                }
            }
            throw new CommandException(1, "unknown user " + user);
        });
        err.println("mailhive-users: changed the password of " + user);
    }

    /** Splices the new hash into field 2 and keeps every other byte of the line. */
    static String replacePassword(String line, String hash) {
        int first = line.indexOf(':');
        if (first < 0) return line + ":" + hash;
        int second = line.indexOf(':', first + 1);
        return line.substring(0, first + 1) + hash + (second < 0 ? "" : line.substring(second));
    }

    private String newHash(String scheme, boolean fromStdin) throws CommandException, IOException {
        char[] password = fromStdin ? readLine(stdin) : readTwice();
        try {
            if (password.length == 0) throw new CommandException(1, "empty password");
            String hash;
            try {
                hash = schemes.encode(scheme, password);
            } catch (IllegalArgumentException e) {
                throw new CommandException(2, e.getMessage());
            }
            if (hash.indexOf(':') >= 0 || hash.indexOf('\n') >= 0 || hash.indexOf('\r') >= 0) {
                throw new CommandException(1, "this password cannot be stored with scheme " + scheme);
            }
            return hash;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The first line of the input (UTF-8) without its line end: {@code echo secret | mailhive pw}. */
    static char[] readLine(InputStream in) throws IOException {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buf = new char[64];
        int n = 0;
        int c;
        while ((c = r.read()) >= 0 && c != '\n') {
            if (n == buf.length) {
                char[] bigger = Arrays.copyOf(buf, n * 2);
                Arrays.fill(buf, '\0');
                buf = bigger;
            }
            buf[n++] = (char) c;
        }
        if (n > 0 && buf[n - 1] == '\r') n--;
        char[] pw = Arrays.copyOf(buf, n);
        Arrays.fill(buf, '\0');
        return pw;
    }

    private char[] readTwice() throws CommandException {
        if (prompt == null) throw new CommandException(1, "no terminal to read the password from; use --password-stdin");
        char[] first = prompt.readPassword("New password: ");
        char[] second = prompt.readPassword("Retype new password: ");
        try {
            if (first == null || second == null) throw new CommandException(1, "no password given");
            if (!Arrays.equals(first, second)) throw new CommandException(1, "passwords do not match");
            return first.clone();
        } finally {
            if (first != null) Arrays.fill(first, '\0');
            if (second != null) Arrays.fill(second, '\0');
        }
    }
}
