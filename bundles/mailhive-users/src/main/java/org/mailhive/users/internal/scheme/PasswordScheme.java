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

    /** True when the password matches; false (never an exception) for a malformed hash. Constant time in the match. */
    boolean verify(byte[] password, String encoded);
}
