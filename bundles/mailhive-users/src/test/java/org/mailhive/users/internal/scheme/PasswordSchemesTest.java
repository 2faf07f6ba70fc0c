package org.mailhive.users.internal.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.binary.Base64;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;

class PasswordSchemesTest {

    private final PasswordSchemes schemes = PasswordSchemes.standard();
    private static final char[] RIGHT = "correct horse".toCharArray();
    private static final char[] WRONG = "correct horsf".toCharArray();

    // computed once with `openssl passwd -6 -salt mhSaltVector2026 'correct horse'` (an independent implementation)
    static final String SHA512_VECTOR =
            "$6$mhSaltVector2026$VEVDSBjmY/6pNvp2Pzp8.gx./7R4KsmRgn49TwzRedjbwMqTliKtq3vdEl6m/WpqZG1uyCY.iUIGIpuIlGKG90";
    static final String SHA256_VECTOR = "$5$mhSaltVector2026$68jbu6.2NguPVPL82HkSSEEmDLbIZe/0x6/LFc0yVc.";
    static final String MD5_VECTOR = "$1$mhSalt12$JwI2enVpGd4sB12LoOt480";
    // python3 hashlib: base64(sha512(pw + b"NaCl4242") + b"NaCl4242")
    static final String SSHA512_VECTOR =
            "Fs8koEY/GZnupYj9iAXfbe31qo02NOE4NG1Tb42rxiRnF+bUGt3JfYJjYvdCgmNk87FyA29XFIzGvYJZmqoYKU5hQ2w0MjQy";
    static final String SHA512_PLAIN_VECTOR =
            "VraY3v7bWkNbY0r+MyC7rz/c2SC2xQOkRvx7endrKY1HnRumqLYXgI6wv1ec6aldZoNHvKtxSQhayTyyeZUZew==";

    private void rightAndWrong(String stored) {
        assertTrue(schemes.verify(stored, RIGHT), stored);
        assertFalse(schemes.verify(stored, WRONG), stored);
    }

    @Test
    void fixedSha512CryptVector() {
        assertEquals(SHA512_VECTOR, Sha2Crypt.sha512Crypt("correct horse".getBytes(StandardCharsets.UTF_8),
                "$6$mhSaltVector2026"));
        rightAndWrong("{SHA512-CRYPT}" + SHA512_VECTOR);
        rightAndWrong("{CRYPT}" + SHA512_VECTOR);
        rightAndWrong(SHA512_VECTOR);
    }

    @Test
    void sha256AndMd5Crypt() {
        rightAndWrong("{SHA256-CRYPT}" + SHA256_VECTOR);
        rightAndWrong(SHA256_VECTOR);
        rightAndWrong("{MD5-CRYPT}" + MD5_VECTOR);
        rightAndWrong(MD5_VECTOR);
        String produced = Sha2Crypt.sha256Crypt("correct horse".getBytes(StandardCharsets.UTF_8), "$5$rounds=6000$abc");
        rightAndWrong("{SHA256-CRYPT}" + produced);
    }

    @Test
    void base64Schemes() {
        rightAndWrong("{SSHA512}" + SSHA512_VECTOR);
        rightAndWrong("{SHA512}" + SHA512_PLAIN_VECTOR);
        String codec = Base64.encodeBase64String(DigestUtils.sha512("correct horse"));
        assertEquals(SHA512_PLAIN_VECTOR, codec);
        rightAndWrong("{sha512}" + codec);
    }

    @Test
    void plain() {
        rightAndWrong("{PLAIN}correct horse");
        assertFalse(schemes.verify("{PLAIN}correct horse", "correct horse ".toCharArray()));
    }

    @Test
    void everyHashingSchemeRoundTrips() {
        for (String name : new String[] {"SHA512-CRYPT", "SHA256-CRYPT", "CRYPT", "PLAIN", "SHA512", "SSHA512"}) {
            String stored = schemes.encode(name, RIGHT);
            assertTrue(stored.startsWith("{" + name + "}"), stored);
            rightAndWrong(stored);
        }
        String a = schemes.encode("SHA512-CRYPT", RIGHT);
        String b = schemes.encode("SHA512-CRYPT", RIGHT);
        assertNotEquals(a, b, "fresh salt each time");
        assertTrue(a.startsWith("{SHA512-CRYPT}$6$"));
        assertThrows(IllegalArgumentException.class, () -> schemes.encode("MD5-CRYPT", RIGHT));
        assertThrows(IllegalArgumentException.class, () -> schemes.encode("ROT13", RIGHT));
    }

    @Test
    void malformedOrUnknownNeverMatch() {
        assertFalse(schemes.verify("{ARGON2ID}$argon2id$v=19$m=65536", RIGHT));
        assertFalse(schemes.verify("{SHA512-CRYPT}notahash", RIGHT));
        assertFalse(schemes.verify("{SSHA512}!!", RIGHT));
        assertFalse(schemes.verify("abDESsalt", RIGHT));
        assertFalse(schemes.verify("{PLAIN", RIGHT));
        assertFalse(schemes.verifyDummy(RIGHT));
        assertTrue(schemes.schemeOf("{ssha512}x").isPresent());
        assertTrue(schemes.schemeOf("{SCRAM-SHA-256}x").isEmpty());
    }

    @Test
    void utf8Passwords() {
        char[] pw = "pässwörd✓".toCharArray();
        String stored = schemes.encode("SHA512-CRYPT", pw);
        assertEquals(Sha2Crypt.sha512Crypt("pässwörd✓".getBytes(StandardCharsets.UTF_8),
                stored.substring("{SHA512-CRYPT}".length())), stored.substring("{SHA512-CRYPT}".length()));
        assertTrue(schemes.verify(stored, pw));
    }
}
