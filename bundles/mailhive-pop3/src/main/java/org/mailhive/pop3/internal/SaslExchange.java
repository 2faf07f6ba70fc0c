package org.mailhive.pop3.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server side of one SASL PLAIN or LOGIN exchange for POP3 AUTH (RFC 5034, RFC 4616): it
 * turns client responses into a login and password. Pure: no I/O, no authentication.
 */
final class SaslExchange {

    static final String MECHANISMS = "PLAIN LOGIN";

    sealed interface Step permits Challenge, Credentials, Failure {
    }

    /** Send "+ base64" and pass the client's next line to {@link #respond}. */
    record Challenge(String base64) implements Step {
    }

    record Credentials(String login, char[] password) implements Step {
    }

    /** Malformed: bad base64, or PLAIN content that names no user or another identity. */
    record Failure(boolean badBase64, String login) implements Step {
    }

    private final String mechanism;
    private String login;

    private SaslExchange(String mechanism) {
        this.mechanism = mechanism;
    }

    /** @return null for a mechanism not offered */
    static SaslExchange start(String mechanism) {
        return switch (mechanism) {
            case "PLAIN", "LOGIN" -> new SaslExchange(mechanism);
            default -> null;
        };
    }

    String mechanism() {
        return mechanism;
    }

    /** @param initial the initial response of "AUTH mech initial", or null */
    Step begin(String initial) {
        if (initial == null) {
            return new Challenge(mechanism.equals("PLAIN") ? "" : b64("Username:"));
        }
        return respond(initial);
    }

    /** The next client line; "=" stands for an empty response. */
    Step respond(String response) {
        byte[] decoded;
        try {
            decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response.strip());
        } catch (IllegalArgumentException e) {
            return new Failure(true, login);
        }
        try {
            if (mechanism.equals("PLAIN")) return plain(decoded);
            if (login == null) {
                login = new String(decoded, StandardCharsets.UTF_8);
                return new Challenge(b64("Password:"));
            }
            return new Credentials(login, chars(decoded));
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** authzid NUL authcid NUL password; acting as another user (authzid) is not offered. */
    private Step plain(byte[] b) {
        int first = nul(b, 0);
        int second = first < 0 ? -1 : nul(b, first + 1);
        if (second < 0) return new Failure(false, null);
        String authz = new String(b, 0, first, StandardCharsets.UTF_8);
        String authc = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
        if (authc.isEmpty() || !(authz.isEmpty() || authz.equals(authc))) return new Failure(false, authc);
        byte[] pw = Arrays.copyOfRange(b, second + 1, b.length);
        try {
            return new Credentials(authc, chars(pw));
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

    private static char[] chars(byte[] b) {
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(b));
        char[] out = new char[cb.remaining()];
        cb.get(out);
        Arrays.fill(cb.array(), '\0');
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
