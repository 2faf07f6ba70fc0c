package org.mailhive.users.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailhive.users.internal.scheme.PasswordSchemes;

class PwCommandTest {

    /** Printed by {@code doveadm pw -s BLF-CRYPT -p secret} (Dovecot 2.3.19.1). */
    static final String DOVECOT_BLF = "{BLF-CRYPT}$2y$05$/Ie14CdDdT2HX6J5WaoaDOLGrlfucM7ObM0wijdOSPGc0rEtC1twe";
    static final String MISMATCH = "Fatal: reverse password verification check failed: Password mismatch\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PasswordSchemes schemes = PasswordSchemes.standard();

    private int pw(String stdin, UsersCommand.Prompt prompt, String... args) {
        out.reset();
        err.reset();
        return new PwCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), print(out), print(err),
                prompt, false).run(args);
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultSchemeFromOption() {
        assertEquals(0, pw("", null, "-p", "secret"));
        String line = out();
        assertTrue(line.matches("\\{SHA512-CRYPT}\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}\n"), line);
        assertTrue(schemes.verify(line.strip(), "secret".toCharArray()));
        assertEquals("", err());
    }

    @Test
    void passwordFromStdinWithoutConsole() {
        assertEquals(0, pw("secret\nignored\n", null, "-s", "argon2id", "-r", "1"));
        String hash = out().strip();
        assertTrue(hash.startsWith("{ARGON2ID}$argon2id$v=19$m=65536,t=1,p=1$"), hash);
        assertTrue(schemes.verify(hash, "secret".toCharArray()));
        assertEquals(0, pw("secret\r\n", null, "-s", "SSHA256"));
        assertTrue(schemes.verify(out().strip(), "secret".toCharArray()), "CR of a CRLF line is not part of it");
        assertEquals(1, pw("", null, "-s", "SSHA256"));
        assertEquals("Fatal: Empty passwords are not allowed\n", err());
    }

    @Test
    void consoleAsksTwice() {
        List<String> prompts = new ArrayList<>();
        assertEquals(0, pw("", p -> {
            prompts.add(p);
            return "typed".toCharArray();
        }, "-s", "BLF-CRYPT", "-r", "4"));
        assertEquals(List.of("Enter new password: ", "Retype new password: "), prompts);
        assertTrue(out().startsWith("{BLF-CRYPT}$2y$04$"), out());
        assertTrue(schemes.verify(out().strip(), "typed".toCharArray()));
        char[][] answers = {"one".toCharArray(), "two".toCharArray()};
        int[] i = {0};
        assertEquals(1, pw("", p -> answers[i[0]++]));
        assertEquals("", out());
        assertEquals("Fatal: Passwords don't match!\n", err());
    }

    @Test
    void testOptionVerifiesDovecotsHash() {
        assertEquals(0, pw("", null, "-t", DOVECOT_BLF, "-p", "secret"));
        assertEquals(DOVECOT_BLF + " (verified)\n", out());
        assertEquals(1, pw("", null, "-t", DOVECOT_BLF, "-p", "wrong"));
        assertEquals("", out());
        assertEquals(MISMATCH, err());
        assertEquals(0, pw("secret\n", null, "-t", DOVECOT_BLF));
        assertEquals(DOVECOT_BLF + " (verified)\n", out());
        String bare = DOVECOT_BLF.substring("{BLF-CRYPT}".length());
        assertEquals(0, pw("", null, "-t", bare, "-p", "secret"), "crypt(3) hashes need no prefix");
        assertEquals(0, pw("", null, "-t", "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=", "-s", "sha256", "-p", "secret"));
        assertEquals(1, pw("", null, "-t", "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=", "-p", "secret"));
        assertEquals("Fatal: Missing {scheme} prefix from hash\n", err());
    }

    @Test
    void reverseCheckAndList() {
        assertEquals(0, pw("", null, "-V", "-s", "SSHA", "-p", "secret"));
        assertTrue(out().matches("\\{SSHA}\\S+ \\(verified\\)\n"), out());
        assertEquals(0, pw("", null, "-l"));
        List<String> listed = List.of(out().strip().split(" "));
        assertEquals(List.copyOf(schemes.names()), listed);
        assertTrue(listed.containsAll(List.of("BLF-CRYPT", "ARGON2ID", "ARGON2I", "SSHA256", "SHA512-CRYPT")));
    }

    @Test
    void usageErrors() {
        assertEquals(2, pw("", null, "-s", "ROT13", "-p", "x"));
        assertTrue(err().startsWith("Fatal: Unknown scheme: ROT13\nusage: mailhive pw"), err());
        assertEquals(2, pw("", null, "-t", "{ROT13}fbzr", "-p", "x"));
        assertEquals(2, pw("", null, "-s"));
        assertEquals(2, pw("", null, "-r", "many", "-p", "x"));
        assertEquals(2, pw("", null, "-s", "BLF-CRYPT", "-r", "40", "-p", "x"));
        assertEquals(2, pw("", null, "-s", "MD5-CRYPT", "-p", "x"), "verify-only scheme");
        assertEquals(2, pw("", null, "secret"), "no password as a plain argument in the shell");
        assertEquals(2, pw("", null, "-x"));
        assertEquals("", out());
    }

    @Test
    void throughUsersCommand() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = new UsersCommand(new ByteArrayInputStream("secret\n".getBytes(StandardCharsets.UTF_8)), print(o),
                print(err), null).run("--config", "/nonexistent", "pw", "-s", "SHA256");
        assertEquals(0, code);
        assertEquals("{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=\n", o.toString(StandardCharsets.UTF_8));
        // the way bin/mailhive calls it: the instance options come after the tool's own
        o.reset();
        code = new UsersCommand(new ByteArrayInputStream(new byte[0]), print(o), print(err), null)
                .run("pw", "-s", "SHA256", "-p", "secret", "--config", "/nonexistent", "--data=/x");
        assertEquals(0, code);
        assertEquals("{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=\n", o.toString(StandardCharsets.UTF_8));
    }

    @Test
    void consoleSupportTakesThePasswordAsArgument() {
        ConsoleSupport.Outcome o = ConsoleSupport.pw("-s", "SHA256", "secret");
        assertEquals(0, o.exitCode());
        assertEquals("{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=\n", o.out());
        ConsoleSupport.Outcome bad = ConsoleSupport.pw("-t", DOVECOT_BLF, "wrong");
        assertEquals(1, bad.exitCode());
        assertEquals(MISMATCH, bad.err());
        assertEquals(2, ConsoleSupport.pw("-s", "SHA256", "a", "b").exitCode());
    }
}
