package org.mailhive.users.internal.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Compatibility with Dovecot both ways. Every fixture below was printed by
 * {@code doveadm pw -s SCHEME -p secret} (Dovecot 2.3.19.1, Debian) on the build machine, except
 * the $2a/$2b bcrypt ones, which come from libxcrypt's crypt(3) through Python.
 */
class DovecotSchemesTest {

    static final char[] SECRET = "secret".toCharArray();
    static final char[] WRONG = "Secret".toCharArray();

    static final String BLF_CRYPT = "{BLF-CRYPT}$2y$05$/Ie14CdDdT2HX6J5WaoaDOLGrlfucM7ObM0wijdOSPGc0rEtC1twe";
    static final String BLF_CRYPT_COST4 = "{BLF-CRYPT}$2y$04$lZ3Pc4tU1FjojAXScEbMROqMLvPMKvNAexwDBF/DPYgZ2H9EcxXEy";
    /** Dovecot 2.3's {CRYPT} is bcrypt where libc has it. */
    static final String CRYPT_BCRYPT = "{CRYPT}$2y$05$FZDPEpJ97pNWVbzHDGCjeu4TV5eFh2fKdpdgJIGJaX9jPkjyfN27W";
    static final String BCRYPT_2B = "$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a";
    static final String BCRYPT_2A = "$2a$06$abcdefghijklmnopqrstuuxLa0AkDDSrQ9VwNnETzOsObiucpMYgC";
    static final String ARGON2ID =
            "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$LqhIafYfOaBnXnsUlRwfOg$nGyUyF7qfdlWiw4Bqrd0Z2X7qE6GXByk5MW4/peBdQA";
    static final String ARGON2I =
            "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$SNRrQ5tyl0AO1G3JJfkSXQ$6k8f5I8f0nR2Adm/dqWHdqJlHzpxy5roui4+ZRRcTGc";
    static final String SSHA256 = "{SSHA256}5SY/BfjOQ1YsHsRebKYcu2vaebXiDsv8LVjhq9USzIZVZnyQ";
    static final String SHA256 = "{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=";
    static final String SHA256_HEX = "{SHA256}2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";
    static final String SSHA = "{SSHA}UMeuzaJ/DbUm724dlDWEvWTsBSZW/bRe";
    static final String SHA = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=";
    static final String SHA1 = "{SHA1}5en6G6MezRroT3XKqkdPOmY/BfQ=";
    static final String SSHA512 = "{SSHA512}H+FynKcaLXGFupeBRRZ/DVqaTGrHbDjzqSkkAQ2W2rh7m55ymZfrtN6pZYUyqWRPw0HMoOM2wIzz"
            + "kKEjjMfiU+/l+/0=";
    static final String SHA512 =
            "{SHA512}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg==";
    static final String SHA512_CRYPT = "{SHA512-CRYPT}$6$YBRK/jm5qDm5wwNy$IioRIG.ZyceKsLc0bRk7Eu6Vx1krir4P9nPen9j9zDeV"
            + "EUKi24fLIXWrCa1WEp1WXgUh6rRD95tUPK6nmVq9D0";
    static final String SHA512_CRYPT_ROUNDS = "{SHA512-CRYPT}$6$rounds=6000$0pYeLWQWrRPbXyeS$xjt0/5y1GxB7AgSY/Cum0PCDq"
            + "hehKh6W22RXlh8hXK9KpUjwx5O2UjVTL85lo0iNzPEtOsJMH.5bzl46Fy9Rs0";
    static final String SHA256_CRYPT = "{SHA256-CRYPT}$5$E6HvsnfM3eP8yiQm$Ie6C1zA6d9zJ/VjANbY8yTXLCN09x/hvDZE6lrrEcUD";
    static final String CLEAR = "{CLEAR}secret";

    /** What doveadm's strings look like; our output must match them to be read by Dovecot. */
    static final Pattern BLF_SHAPE = Pattern.compile("\\{BLF-CRYPT}\\$2y\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    static final Pattern ARGON2_SHAPE = Pattern.compile(
            "\\{(ARGON2I|ARGON2ID)}\\$(argon2i|argon2id)\\$v=19\\$m=(\\d+),t=(\\d+),p=1\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");

    private final PasswordSchemes schemes = PasswordSchemes.standard();

    private void rightAndWrong(String stored) {
        assertTrue(schemes.verify(stored, SECRET), "secret must match " + stored);
        assertFalse(schemes.verify(stored, WRONG), "Secret must not match " + stored);
    }

    @Test
    void bcryptFromDovecotAndLibxcrypt() {
        rightAndWrong(BLF_CRYPT);
        rightAndWrong(BLF_CRYPT_COST4);
        rightAndWrong(CRYPT_BCRYPT);
        rightAndWrong(CRYPT_BCRYPT.substring("{CRYPT}".length()));
        rightAndWrong("{BLF-CRYPT}" + BCRYPT_2B);
        rightAndWrong("{blf-crypt}" + BCRYPT_2A);
        rightAndWrong(BCRYPT_2B);
    }

    @Test
    void argon2FromDovecot() {
        rightAndWrong(ARGON2ID);
        rightAndWrong(ARGON2I);
        // the type in the braces and in the string must agree
        assertFalse(schemes.verify("{ARGON2I}" + ARGON2ID.substring("{ARGON2ID}".length()), SECRET));
    }

    @Test
    void digestsFromDovecot() {
        for (String s : new String[] {SSHA256, SHA256, SHA256_HEX, SSHA, SHA, SHA1, SSHA512, SHA512, CLEAR,
            "{sha256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols="}) {
            rightAndWrong(s);
        }
    }

    @Test
    void cryptFromDovecot() {
        rightAndWrong(SHA512_CRYPT);
        rightAndWrong(SHA512_CRYPT_ROUNDS);
        rightAndWrong(SHA256_CRYPT);
    }

    @Test
    void generatedBcryptHasDovecotsShape() {
        String ours = schemes.encode("blf-crypt", SECRET);
        Matcher m = BLF_SHAPE.matcher(ours);
        assertTrue(m.matches(), ours);
        assertEquals("10", m.group(1), "default cost");
        rightAndWrong(ours);
        assertTrue(BLF_SHAPE.matcher(BLF_CRYPT).matches(), "the pattern describes Dovecot's own output");
        String cheap = schemes.encode("BLF-CRYPT", SECRET, 4);
        assertTrue(cheap.startsWith("{BLF-CRYPT}$2y$04$"), cheap);
        rightAndWrong(cheap);
        assertNotEquals(cheap, schemes.encode("BLF-CRYPT", SECRET, 4), "fresh salt");
        assertThrows(IllegalArgumentException.class, () -> schemes.encode("BLF-CRYPT", SECRET, 3));
        assertThrows(IllegalArgumentException.class, () -> schemes.encode("BLF-CRYPT", "x".repeat(73).toCharArray()));
    }

    @Test
    void generatedArgon2HasDovecotsShape() {
        for (String name : new String[] {"ARGON2ID", "ARGON2I"}) {
            String ours = schemes.encode(name, SECRET);
            Matcher m = ARGON2_SHAPE.matcher(ours);
            assertTrue(m.matches(), ours);
            assertEquals(name, m.group(1));
            assertEquals(name.toLowerCase(), m.group(2));
            assertEquals(16, Base64.getDecoder().decode(m.group(5)).length, "salt bytes");
            assertEquals(32, Base64.getDecoder().decode(m.group(6)).length, "hash bytes");
            rightAndWrong(ours);
        }
        assertTrue(ARGON2_SHAPE.matcher(ARGON2ID).matches());
        assertTrue(ARGON2_SHAPE.matcher(ARGON2I).matches());
        Matcher id = ARGON2_SHAPE.matcher(schemes.encode("ARGON2ID", SECRET));
        assertTrue(id.matches());
        assertEquals("65536", id.group(3), "m as Dovecot");
        assertEquals("3", id.group(4), "t as Dovecot");
        Matcher i = ARGON2_SHAPE.matcher(schemes.encode("ARGON2I", SECRET));
        assertTrue(i.matches());
        assertEquals("32768", i.group(3));
        assertEquals("4", i.group(4));
    }

    @Test
    void argon2ParametersComeFromTheString() {
        String cheap = schemes.encode("ARGON2ID", SECRET, 1);
        assertTrue(cheap.contains("$m=65536,t=1,p=1$"), cheap);
        rightAndWrong(cheap);
        // same salt and hash with t=2 claimed: a different computation, so no match
        assertFalse(schemes.verify(cheap.replace(",t=1,", ",t=2,"), SECRET));
    }

    @Test
    void hostileArgon2ParametersAreRefusedQuickly() {
        String body = "$LqhIafYfOaBnXnsUlRwfOg$nGyUyF7qfdlWiw4Bqrd0Z2X7qE6GXByk5MW4/peBdQA";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=4194304,t=3,p=1" + body, SECRET), "4 GiB");
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=65536,t=100000,p=1" + body, SECRET));
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=999" + body, SECRET));
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1,x=1" + body, SECRET));
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=20$m=65536,t=3,p=1" + body, SECRET));
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$!!$!!", SECRET));
            assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=65536,t=3", SECRET));
            assertFalse(schemes.verify("{ARGON2ID}", SECRET));
        });
    }

    @Test
    void malformedBcryptNeverMatches() {
        assertFalse(schemes.verify("{BLF-CRYPT}$2y$05$short", SECRET));
        assertFalse(schemes.verify("{BLF-CRYPT}$2x$05$/Ie14CdDdT2HX6J5WaoaDOLGrlfucM7ObM0wijdOSPGc0rEtC1twe", SECRET));
        assertFalse(schemes.verify("{BLF-CRYPT}$2y$99$/Ie14CdDdT2HX6J5WaoaDOLGrlfucM7ObM0wijdOSPGc0rEtC1twe", SECRET));
        assertFalse(schemes.verify("{BLF-CRYPT}$2y$05$/Ie14CdDdT2HX6J5Wao!DOLGrlfucM7ObM0wijdOSPGc0rEtC1twe", SECRET));
    }

    @Test
    void generatedDigestsAndCryptRounds() {
        for (String name : new String[] {"SSHA256", "SHA256", "SSHA", "SHA", "SHA1", "SSHA512", "SHA512"}) {
            String ours = schemes.encode(name, SECRET);
            assertTrue(ours.startsWith("{" + name + "}"), ours);
            rightAndWrong(ours);
        }
        assertEquals(SHA256, schemes.encode("SHA256", SECRET), "unsalted: the same bytes as doveadm");
        assertEquals(SHA1, schemes.encode("sha1", SECRET));
        String rounds = schemes.encode("SHA512-CRYPT", SECRET, 6000);
        assertTrue(rounds.startsWith("{SHA512-CRYPT}$6$rounds=6000$"), rounds);
        rightAndWrong(rounds);
        assertThrows(IllegalArgumentException.class, () -> schemes.encode("SHA256-CRYPT", SECRET, 10));
    }

    @Test
    void namesListedOnceAliasesKnown() {
        assertTrue(schemes.names().containsAll(java.util.List.of("SHA512-CRYPT", "BLF-CRYPT", "ARGON2ID", "ARGON2I",
                "SSHA256", "SHA256", "SSHA", "SHA", "SSHA512", "SHA512", "PLAIN", "CRYPT", "MD5-CRYPT")));
        assertFalse(schemes.names().contains("SHA1"));
        assertTrue(schemes.isKnown("sha1"));
        assertTrue(schemes.isKnown("Clear"));
        assertFalse(schemes.isKnown("ROT13"));
    }
}
