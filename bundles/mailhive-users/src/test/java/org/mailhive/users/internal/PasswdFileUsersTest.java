package org.mailhive.users.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.users.MailUser;
import org.mailhive.users.internal.scheme.PasswordSchemes;

class PasswdFileUsersTest {

    @TempDir
    Path dir;

    private PasswdFileUsers users;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        file = dir.resolve("users");
        String alice = PasswordSchemes.standard().encode("SHA512-CRYPT", "wonderland".toCharArray());
        write("# test users\nalice@example.org:" + alice + "::::/home/alice::mail=maildir:~/Mail\n"
                + "bob@example.org:{PLAIN}builder\n");
        users = new PasswdFileUsers();
        users.apply(dir.toString(), Map.of());
    }

    private void write(String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Test
    void authenticateRightWrongUnknown() {
        Optional<MailUser> ok = users.authenticate("Alice@Example.org", "wonderland".toCharArray());
        assertTrue(ok.isPresent());
        assertEquals("alice@example.org", ok.get().name());
        assertEquals("/home/alice", ok.get().home());
        assertEquals("maildir:~/Mail", ok.get().field("mail", null));
        assertTrue(users.authenticate("alice@example.org", "Wonderland".toCharArray()).isEmpty());
        assertTrue(users.authenticate("nobody@example.org", "wonderland".toCharArray()).isEmpty());
        assertTrue(users.authenticate("bob@example.org", "builder".toCharArray()).isPresent());
    }

    @Test
    void aUserWithoutHomeGetsTheDefaultHomeOneWithAHomeKeepsIt() {
        users.apply(dir.toString(), "/srv/data", Map.of());
        assertEquals("/srv/data/mail/example.org/bob", users.lookup("bob@example.org").orElseThrow().home());
        users.apply(dir.toString(), "/srv/data", Map.of("default_home", "/var/vmail/%d/%n"));
        assertEquals("/var/vmail/example.org/bob", users.lookup("bob@example.org").orElseThrow().home());
        users.apply(dir.toString(), "/srv/data", Map.of("default_home", "relative/%n"));
        assertEquals("/var/vmail/example.org/bob", users.lookup("bob@example.org").orElseThrow().home(),
                "a bad value keeps the previous one");
        users.apply(dir.toString(), null, Map.of());
        assertEquals("", users.lookup("bob@example.org").orElseThrow().home(), "without a data directory: no default");
    }

    @Test
    void lookupIsCaseInsensitive() {
        assertTrue(users.lookup(MailAddress.parse("BOB@EXAMPLE.ORG")).isPresent());
        assertTrue(users.lookup("bob@example.org").isPresent());
        assertTrue(users.lookup("carol@example.org").isEmpty());
        assertTrue(users.lookup(MailAddress.NULL_SENDER).isEmpty());
    }

    @Test
    void editIsSeenByTheNextLookup() throws IOException {
        assertTrue(users.lookup("carol@example.org").isEmpty());
        write("bob@example.org:{PLAIN}builder\ncarol@example.org:{PLAIN}c\n");
        assertTrue(users.lookup("carol@example.org").isPresent());
        assertTrue(users.lookup("alice@example.org").isEmpty());
    }

    @Test
    void replacedFileWithSameSizeAndTimeIsSeen() throws IOException {
        String before = Files.readString(file);
        Path tmp = dir.resolve("users.new");
        Files.writeString(tmp, before.replace("{PLAIN}builder", "{PLAIN}BUILDER"));
        Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(file));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(users.authenticate("bob@example.org", "BUILDER".toCharArray()).isPresent());
    }

    @Test
    void badFileKeepsTheLastGoodUsers() throws IOException {
        write("bob@example.org:{PLAIN}builder\nbroken line without colon\n");
        assertTrue(users.lookup("alice@example.org").isPresent());
        assertTrue(users.authenticate("bob@example.org", "builder".toCharArray()).isPresent());
        write("dave@example.org:{PLAIN}d\n");
        assertTrue(users.lookup("dave@example.org").isPresent());
        assertTrue(users.lookup("alice@example.org").isEmpty());
    }

    @Test
    void missingFileMeansNoUsers() throws IOException {
        Files.delete(file);
        assertTrue(users.lookup("bob@example.org").isEmpty());
        write("bob@example.org:{PLAIN}builder\n");
        assertTrue(users.lookup("bob@example.org").isPresent());
    }

    @Test
    void passwdFileKeyAndBadValue() throws IOException {
        Path other = dir.resolve("other");
        Files.writeString(other, "eve@example.org:{PLAIN}e\n");
        users.apply(dir.toString(), Map.of("passwd_file", "${mailhive.config}/other"));
        assertTrue(users.lookup("eve@example.org").isPresent());
        users.apply(dir.toString(), Map.of("passwd_file", "relative/path"));
        assertTrue(users.lookup("eve@example.org").isPresent(), "bad value keeps the previous file");
    }

    @Test
    void dovecotBcryptAndArgon2LinesAuthenticate() throws IOException {
        // printed by doveadm pw -s BLF-CRYPT|ARGON2ID -p secret (Dovecot 2.3.19.1)
        write("blf@example.org:{BLF-CRYPT}$2y$05$/Ie14CdDdT2HX6J5WaoaDOLGrlfucM7ObM0wijdOSPGc0rEtC1twe\n"
                + "argon@example.org:{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$LqhIafYfOaBnXnsUlRwfOg"
                + "$nGyUyF7qfdlWiw4Bqrd0Z2X7qE6GXByk5MW4/peBdQA::::/home/argon\n"
                + "ssha@example.org:{SSHA256}5SY/BfjOQ1YsHsRebKYcu2vaebXiDsv8LVjhq9USzIZVZnyQ\n");
        for (String user : new String[] {"blf@example.org", "argon@example.org", "ssha@example.org"}) {
            assertTrue(users.authenticate(user, "secret".toCharArray()).isPresent(), user);
            assertTrue(users.authenticate(user, "secreT".toCharArray()).isEmpty(), user);
        }
        assertEquals("/home/argon", users.authenticate("ARGON@example.org", "secret".toCharArray()).get().home());
    }
}
