package org.mailhive.users.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersConsoleCommandsTest {

    @TempDir
    Path dir;

    @Test
    void userCommandsEditTheConfiguredFileAndTheServerSeesIt() throws Exception {
        Files.createDirectory(dir.resolve("db"));
        Map<String, Object> cfg = Map.of("passwd_file", "${mailhive.config}/db/passwd");
        UsersConsoleCommands console = new UsersConsoleCommands();
        console.apply(dir.toString(), cfg);
        PasswdFileUsers server = new PasswdFileUsers();
        server.apply(dir.toString(), cfg);

        String added = console.user("add", "alice@example.org", "s3cret", "--scheme", "BLF-CRYPT");
        assertTrue(added.contains("added alice@example.org"), added);
        assertTrue(Files.readString(dir.resolve("db/passwd")).startsWith("alice@example.org:{BLF-CRYPT}$2y$10$"));
        assertTrue(server.authenticate("alice@example.org", "s3cret".toCharArray()).isPresent());
        console.user("add", "bob@example.org", "pw");
        assertTrue(Files.readString(dir.resolve("db/passwd")).contains("bob@example.org:{SHA512-CRYPT}$6$"));
        assertEquals("alice@example.org\nbob@example.org\n", console.user("list"));

        console.user("passwd", "alice@example.org", "n3w", "--scheme", "ARGON2ID");
        assertTrue(server.authenticate("alice@example.org", "n3w".toCharArray()).isPresent());
        assertTrue(server.authenticate("alice@example.org", "s3cret".toCharArray()).isEmpty());
        console.user("del", "bob@example.org");
        assertEquals("alice@example.org\n", console.user("list"));

        IllegalStateException dup = assertThrows(IllegalStateException.class,
                () -> console.user("add", "alice@example.org", "x"));
        assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
        assertThrows(IllegalStateException.class, () -> console.user("add", "carol@example.org"));
        assertThrows(IllegalStateException.class, () -> console.user("frobnicate"));
        assertEquals("alice@example.org\n", console.user("list"));
    }

    @Test
    void pwHashesTheArgument() {
        UsersConsoleCommands console = new UsersConsoleCommands();
        assertEquals("{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=\n", console.pw("-s", "SHA256", "secret"));
        String argon = console.pw("-s", "ARGON2ID", "-r", "1", "secret");
        assertTrue(argon.startsWith("{ARGON2ID}$argon2id$v=19$m=65536,t=1,p=1$"), argon);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> console.pw("-s", "ROT13", "x"));
        assertTrue(e.getMessage().startsWith("Fatal: Unknown scheme: ROT13"), e.getMessage());
    }

    @Test
    void withoutConfigDirectoryThereIsNoFile() {
        UsersConsoleCommands console = new UsersConsoleCommands();
        console.apply(null, Map.of());
        assertThrows(IllegalStateException.class, () -> console.user("list"));
    }
}
