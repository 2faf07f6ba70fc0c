package org.mailhive.users.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.users.internal.PasswdFile;
import org.mailhive.users.internal.PasswdFileException;
import org.mailhive.users.internal.scheme.PasswordSchemes;

class UsersCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    private int run(String stdin, UsersCommand.Prompt prompt, String... args) {
        return new UsersCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                prompt).run(args);
    }

    private int run(String stdin, String... args) {
        return run(stdin, null, args);
    }

    private String stored(String user) throws IOException, PasswdFileException {
        return PasswdFile.parse(Files.readAllLines(dir.resolve("users")), schemes).get(user).password();
    }

    @Test
    void addListPasswdDel() throws Exception {
        assertEquals(0, run("s3cret\n", "add", "Alice@Example.ORG", "--password-stdin", "--config", dir.toString()));
        String hash = stored("alice@example.org");
        assertTrue(hash.startsWith("{SHA512-CRYPT}$6$"), hash);
        assertTrue(schemes.verify(hash, "s3cret".toCharArray()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("users"))));

        assertEquals(0, run("pw2\r\n", "--config=" + dir, "add", "bob@example.org", "--password-stdin", "--scheme",
                "ssha512"));
        assertTrue(stored("bob@example.org").startsWith("{SSHA512}"));

        out.reset();
        assertEquals(0, run("", "list", "--config", dir.toString()));
        assertEquals("Alice@example.org\nbob@example.org\n", out.toString(StandardCharsets.UTF_8));

        assertEquals(0, run("newpw\n", "passwd", "ALICE@example.org", "--password-stdin", "--config", dir.toString()));
        assertTrue(schemes.verify(stored("alice@example.org"), "newpw".toCharArray()));
        assertTrue(schemes.verify(stored("bob@example.org"), "pw2".toCharArray()));

        assertEquals(0, run("", "--config", dir.toString(), "del", "bob@example.org"));
        assertEquals(List.of("alice@example.org"),
                List.copyOf(PasswdFile.parse(Files.readAllLines(dir.resolve("users")), schemes).keySet()));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("users", "users.lock"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp files left");
        }
    }

    @Test
    void passwdKeepsCommentsExtraFieldsAndPermissions() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "# keep me\ncarol@example.org:{PLAIN}old:5000:5000::/home/carol::mail=maildir:~/M\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(0, run("fresh\n", "passwd", "carol@example.org", "--password-stdin", "--config", dir.toString(),
                "--scheme", "PLAIN"));
        assertEquals("# keep me\ncarol@example.org:{PLAIN}fresh:5000:5000::/home/carol::mail=maildir:~/M\n",
                Files.readString(users));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
    }

    @Test
    void failuresAndUsage() throws Exception {
        assertEquals(0, run("a\n", "add", "alice@example.org", "--password-stdin", "--config", dir.toString()));
        String before = Files.readString(dir.resolve("users"));
        err.reset();
        assertEquals(1, run("b\n", "add", "ALICE@example.org", "--password-stdin", "--config", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already exists"), err.toString());
        assertEquals(1, run("", "del", "nobody@example.org", "--config", dir.toString()));
        assertEquals(1, run("x\n", "passwd", "nobody@example.org", "--password-stdin", "--config", dir.toString()));
        assertEquals(1, run("x\n", "add", "bad:name@example.org", "--password-stdin", "--config", dir.toString()));
        assertEquals(1, run("x\n", "add", "noat", "--password-stdin", "--config", dir.toString()));
        assertEquals(1, run("\n", "add", "empty@example.org", "--password-stdin", "--config", dir.toString()));
        assertEquals(1, run("", "add", "tty@example.org", "--config", dir.toString()));
        assertEquals(1, run("with:colon\n", "add", "p@example.org", "--password-stdin", "--scheme", "PLAIN",
                "--config", dir.toString()));
        assertEquals(before, Files.readString(dir.resolve("users")));

        assertEquals(2, run("", "list"));
        assertEquals(2, run("", "frobnicate", "--config", dir.toString()));
        assertEquals(2, run("", "add", "--config", dir.toString()));
        assertEquals(2, run("", "list", "--bogus", "--config", dir.toString()));
        assertEquals(2, run("x\n", "add", "z@example.org", "--password-stdin", "--scheme", "ROT13", "--config",
                dir.toString()));
        assertEquals(2, run("", "list", "--config"));
    }

    @Test
    void consolePasswordTwice() throws Exception {
        List<String> prompts = new ArrayList<>();
        UsersCommand.Prompt same = p -> {
            prompts.add(p);
            return "typed".toCharArray();
        };
        assertEquals(0, run("", same, "add", "tty@example.org", "--config", dir.toString()));
        assertEquals(2, prompts.size());
        assertTrue(schemes.verify(stored("tty@example.org"), "typed".toCharArray()));
        char[][] answers = {"one".toCharArray(), "two".toCharArray()};
        int[] i = {0};
        assertEquals(1, run("", p -> answers[i[0]++], "passwd", "tty@example.org", "--config", dir.toString()));
        assertTrue(schemes.verify(stored("tty@example.org"), "typed".toCharArray()));
    }

    @Test
    void passwdFileFromCfg() throws Exception {
        Files.createDirectory(dir.resolve("db"));
        Files.writeString(dir.resolve("org.mailhive.users.cfg"), "# comment\npasswd_file = ${mailhive.config}/db/passwd\n");
        assertEquals(dir.resolve("db/passwd"), UsersCommand.passwdFile(dir));
        assertEquals(0, run("x\n", "add", "a@example.org", "--password-stdin", "--config", dir.toString()));
        assertTrue(Files.readString(dir.resolve("db/passwd")).startsWith("a@example.org:{SHA512-CRYPT}"));
        assertFalse(Files.exists(dir.resolve("users")));
        Files.writeString(dir.resolve("org.mailhive.users.cfg"), "passwd_file =\n");
        assertEquals(dir.resolve("users"), UsersCommand.passwdFile(dir));
    }

    @Test
    void concurrentAddsLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String user = "user" + i + "@example.org";
                results.add(pool.submit(() -> new UsersCommand(new ByteArrayInputStream("pw\n".getBytes()),
                        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), null)
                        .run("add", user, "--password-stdin", "--scheme", "PLAIN", "--config", dir.toString())));
            }
            for (Future<Integer> f : results) assertEquals(0, f.get());
        } finally {
            pool.shutdownNow();
        }
        Map<String, ?> users = PasswdFile.parse(Files.readAllLines(dir.resolve("users")), schemes);
        assertEquals(10, users.size());
        for (int i = 0; i < 10; i++) assertTrue(users.containsKey("user" + i + "@example.org"));
    }

    @Test
    void newSchemesAndExplicitFile() throws Exception {
        Path file = dir.resolve("elsewhere");
        assertEquals(0, run("pw1\n", "--file", file.toString(), "add", "a@example.org", "--password-stdin", "--scheme",
                "blf-crypt"));
        assertEquals(0, run("pw2\n", "--file=" + file, "add", "b@example.org", "--password-stdin", "--scheme",
                "ARGON2ID"));
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("a@example.org:{BLF-CRYPT}$2y$10$"), lines.get(0));
        assertTrue(lines.get(1).startsWith("b@example.org:{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$"), lines.get(1));
        Map<String, ?> users = PasswdFile.parse(lines, schemes);
        assertEquals(2, users.size());
        assertTrue(schemes.verify(lines.get(0).split(":")[1], "pw1".toCharArray()));
        assertTrue(schemes.verify(lines.get(1).split(":")[1], "pw2".toCharArray()));
        assertEquals(0, run("pw3\n", "--file", file.toString(), "passwd", "a@example.org", "--password-stdin",
                "--scheme", "SSHA256"));
        assertTrue(Files.readAllLines(file).get(0).startsWith("a@example.org:{SSHA256}"));
        assertFalse(Files.exists(dir.resolve("users")), "the config directory's file is untouched");
    }
}
