package org.mailhive.users.internal.scheme;

/**
 * One Dovecot password scheme ({@code SHA512-CRYPT}, {@code PLAIN}…). Passwords arrive as
 * UTF-8 bytes that the caller wipes afterwards; {@code encoded} is the text after {@code {NAME}}.
 */
public interface PasswordScheme {

    /** The name inside the braces, upper case. */
    String name();

    /** Encodes a new password with a fresh salt; throws UnsupportedOperationException for verify-only schemes. */
    String hash(byte[] password);

    /**
     * Like {@link #hash(byte[])} with a work factor as {@code doveadm pw -r} gives it (crypt rounds,
     * bcrypt cost, Argon2 passes); 0 means the scheme's default. Schemes without a work factor
     * ignore it, as doveadm does. Throws IllegalArgumentException for a value the scheme refuses.
     */
    default String hash(byte[] password, int rounds) {
        return hash(password);
    }

    /** True when the password matches; false (never an exception) for a malformed hash. Constant time in the match. */
    boolean verify(byte[] password, String encoded);
}
