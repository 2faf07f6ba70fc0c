package org.mailhive.net;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server side of one SASL PLAIN or LOGIN exchange (RFC 4616, draft-murchison-sasl-login):
 * it turns client responses into a login and password. Pure: no I/O, no authentication, no
 * protocol framing (the caller sends a challenge as "334 ..." or "+ ...").
 */
public final class SaslExchange {

    /** The mechanisms {@link #start} accepts, as listed in EHLO AUTH or POP3 CAPA SASL. */
    public static final String MECHANISMS = "PLAIN LOGIN";
    /** base64 of "Username:", the first LOGIN challenge. */
    public static final String USERNAME_PROMPT = "VXNlcm5hbWU6";
    /** base64 of "Password:", the second LOGIN challenge. */
    public static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6";

    /** What the exchange needs next. */
    public sealed interface Step permits Challenge, Credentials, Failure {
    }

    /** Send this challenge and pass the client's next line to {@link #respond}. */
    public record Challenge(String base64) implements Step {
    }

    /** The exchange is complete; the caller authenticates and then clears the password. */
    public record Credentials(String login, char[] password) implements Step {
    }

    /**
     * The client's response was malformed: {@code badBase64}, or PLAIN content that names no user
     * or another identity ({@code login} is what could be read, for the log).
     */
    public record Failure(boolean badBase64, String login) implements Step {
    }

    private final String mechanism;
    private String login;

    private SaslExchange(String mechanism) {
        this.mechanism = mechanism;
    }

    /**
     * @param mechanism upper case
     * @return null when the mechanism is not offered
     */
    public static SaslExchange start(String mechanism) {
        return switch (mechanism) {
            case "PLAIN", "LOGIN" -> new SaslExchange(mechanism);
            default -> null;
        };
    }

    public String mechanism() {
        return mechanism;
    }

    /** The step after "AUTH mech [initial]"; {@code initial} is null when the client sent none. */
    public Step begin(String initial) {
        if (initial == null) return new Challenge(mechanism.equals("PLAIN") ? "" : USERNAME_PROMPT);
        return respond(initial);
    }

    /** The step after a client response line (base64, "=" for an empty response). */
    public Step respond(String line) {
        byte[] decoded;
        try {
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line.strip());
        } catch (IllegalArgumentException e) {
            return new Failure(true, login);
        }
        try {
            if (mechanism.equals("PLAIN")) return plain(decoded);
            if (login == null) {
                login = new String(decoded, StandardCharsets.UTF_8);
                return new Challenge(PASSWORD_PROMPT);
            }
            return new Credentials(login, utf8Chars(decoded));
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** authzid NUL authcid NUL passwd; acting as another user (an authzid other than the login) is refused. */
    private Step plain(byte[] b) {
        int first = nul(b, 0);
        int second = first < 0 ? -1 : nul(b, first + 1);
        if (second < 0) return new Failure(false, null);
        String authz = new String(b, 0, first, StandardCharsets.UTF_8);
        String authc = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
        if (authc.isEmpty() || !(authz.isEmpty() || authz.equals(authc))) return new Failure(false, authc);
        byte[] pw = Arrays.copyOfRange(b, second + 1, b.length);
        try {
            return new Credentials(authc, utf8Chars(pw));
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static int nul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) return i;
        }
        return -1;
    }

    /** Decodes without an intermediate String so the password can be wiped afterwards. */
    private static char[] utf8Chars(byte[] b) {
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(b));
        char[] out = new char[cb.remaining()];
        cb.get(out);
        Arrays.fill(cb.array(), '\0');
        return out;
    }
}
