package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SaslExchangeTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loginPromptsAreTheBase64OfTheTraditionalTexts() {
        assertEquals(b64("Username:"), SaslExchange.USERNAME_PROMPT);
        assertEquals(b64("Password:"), SaslExchange.PASSWORD_PROMPT);
        assertEquals("PLAIN LOGIN", SaslExchange.MECHANISMS);
    }

    @Test
    void plainDecodesUtf8AndAcceptsAnAuthzidEqualToTheLogin() {
        SaslExchange.Credentials c = (SaslExchange.Credentials) SaslExchange.start("PLAIN")
                .begin(b64("j\u00f6rg@x\0j\u00f6rg@x\0p\u00e4ss w\u00f6rd"));
        assertEquals("j\u00f6rg@x", c.login());
        assertArrayEquals("p\u00e4ss w\u00f6rd".toCharArray(), c.password());
    }

    @Test
    void plainRefusesAnotherIdentityAnEmptyLoginAndMissingSeparators() {
        assertEquals(new SaslExchange.Failure(false, "bob"), SaslExchange.start("PLAIN").begin(b64("alice\0bob\0pw")));
        assertEquals(new SaslExchange.Failure(false, ""), SaslExchange.start("PLAIN").begin(b64("\0\0pw")));
        assertEquals(new SaslExchange.Failure(false, null), SaslExchange.start("PLAIN").begin(b64("bob\0pw")));
        assertEquals(new SaslExchange.Failure(true, null), SaslExchange.start("PLAIN").respond("not base64!"));
    }

    @Test
    void plainWithoutInitialResponseAsksWithAnEmptyChallengeAndStripsTheAnswer() {
        SaslExchange plain = SaslExchange.start("PLAIN");
        assertEquals(new SaslExchange.Challenge(""), plain.begin(null));
        SaslExchange.Credentials c = (SaslExchange.Credentials) plain.respond("  " + b64("\0bob\0pw") + "\r\n");
        assertEquals("bob", c.login());
        assertArrayEquals("pw".toCharArray(), c.password());
    }

    @Test
    void loginTakesUserThenPasswordAndKeepsTheUserOnABadPassword() {
        SaslExchange login = SaslExchange.start("LOGIN");
        assertEquals("LOGIN", login.mechanism());
        assertEquals(new SaslExchange.Challenge(SaslExchange.USERNAME_PROMPT), login.begin(null));
        assertEquals(new SaslExchange.Challenge(SaslExchange.PASSWORD_PROMPT), login.respond(b64("bob")));
        assertEquals(new SaslExchange.Failure(true, "bob"), login.respond("%%%"));

        SaslExchange initial = SaslExchange.start("LOGIN");
        assertEquals(new SaslExchange.Challenge(SaslExchange.PASSWORD_PROMPT), initial.begin(b64("carol")));
        SaslExchange.Credentials empty = (SaslExchange.Credentials) initial.respond("=");
        assertEquals("carol", empty.login());
        assertEquals(0, empty.password().length);
    }

    @Test
    void onlyPlainAndLoginAreOffered() {
        assertNull(SaslExchange.start("CRAM-MD5"));
        assertNull(SaslExchange.start("plain"));
        assertNull(SaslExchange.start("XOAUTH2"));
    }
}
