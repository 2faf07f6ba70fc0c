package org.mailhive.smtp.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server side of one SASL PLAIN or LOGIN exchange (RFC 4616, draft-murchison-sasl-login):
 * it turns client responses into a login and password. Pure: no I/O, no authentication.
 */
final class SaslExchange {

    /** What the exchange needs next. */
    sealed interface Step permits Challenge, Credentials, Failure {
    }

    /** Send "334 text" and call {@link #respond} with the client's next line. */
    record Challenge(String base64) implements Step {
    }

    record Credentials(String login, char[] password) implements Step {
    }

    /** The client's response was malformed: base64 (501 5.5.2) or content (535). */
    record Failure(boolean badBase64, String login) implements Step {
    }

    static final String USERNAME_PROMPT = "VXNlcm5hbWU6";
    static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6";

    private final String mechanism;
    private String login;

    private SaslExchange(String mechanism) {
        this.mechanism = mechanism;
    }

    /** @return null when the mechanism is not offered */
    static SaslExchange start(String mechanism) {
        return switch (mechanism) {
            case "PLAIN", "LOGIN" -> new SaslExchange(mechanism);
            default -> null;
        };
    }

    String mechanism() {
        return mechanism;
    }

    /** The step after "AUTH mech [initial]"; {@code initial} is null when the client sent none. */
    Step begin(String initial) {
        if (initial == null) return new Challenge(mechanism.equals("PLAIN") ? "" : USERNAME_PROMPT);
        return respond(initial);
    }

    /** The step after a client response line (base64, "=" for empty). */
    Step respond(String line) {
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

    /** authzid NUL authcid NUL passwd; an authzid other than the login is refused. */
    private Step plain(byte[] b) {
        int first = indexOf(b, 0);
        int second = first < 0 ? -1 : indexOf(b, first + 1);
        if (second < 0) return new Failure(false, null);
        String authz = new String(b, 0, first, StandardCharsets.UTF_8);
        String authc = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
        if (authc.isEmpty() || (!authz.isEmpty() && !authz.equals(authc))) return new Failure(false, authc);
        byte[] pw = Arrays.copyOfRange(b, second + 1, b.length);
        try {
            return new Credentials(authc, utf8Chars(pw));
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) return i;
        }
        return -1;
    }

    private static char[] utf8Chars(byte[] b) {
        java.nio.CharBuffer cb = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(b));
        char[] out = new char[cb.remaining()];
        cb.get(out);
        Arrays.fill(cb.array(), '\0');
        return out;
    }
}
