package org.mailhive.users.internal.scheme;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.binary.Base64;
import org.apache.commons.codec.binary.Hex;

/**
 * The plain digest schemes: {@code {SHA}base64(sha1(pw))}, {@code SHA256}, {@code SHA512}, and
 * their salted forms {@code {SSHA}base64(sha1(pw + salt) + salt)}, {@code SSHA256},
 * {@code SSHA512}, as Dovecot and OpenLDAP write them. Unsalted values in hex are accepted too,
 * as Dovecot guesses them from their length.
 */
final class DigestScheme implements PasswordScheme {

    /** Longer than Dovecot's 4 bytes: the salt is free, and Dovecot reads any length. */
    private static final int SALT_BYTES = 16;

    private final String name;
    private final String algorithm;
    private final int length;
    private final boolean salted;

    private DigestScheme(String name, String algorithm, int length, boolean salted) {
        this.name = name;
        this.algorithm = algorithm;
        this.length = length;
        this.salted = salted;
    }

    static DigestScheme plain(String name, String algorithm, int length) {
        return new DigestScheme(name, algorithm, length, false);
    }

    static DigestScheme salted(String name, String algorithm, int length) {
        return new DigestScheme(name, algorithm, length, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String hash(byte[] password) {
        if (!salted) return Base64.encodeBase64String(digest(password, new byte[0]));
        byte[] salt = Salts.bytes(SALT_BYTES);
        byte[] out = Arrays.copyOf(digest(password, salt), length + SALT_BYTES);
        System.arraycopy(salt, 0, out, length, SALT_BYTES);
        return Base64.encodeBase64String(out);
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        byte[] stored = decode(encoded);
        if (salted) {
            if (stored.length <= length) return false;
            byte[] salt = Arrays.copyOfRange(stored, length, stored.length);
            return MessageDigest.isEqual(digest(password, salt), Arrays.copyOf(stored, length));
        }
        return stored.length == length && MessageDigest.isEqual(digest(password, new byte[0]), stored);
    }

    private byte[] decode(String encoded) {
        if (!salted && encoded.length() == 2 * length) {
            try {
                return Hex.decodeHex(encoded);
            } catch (DecoderException e) {
                // not hex: Base64 of the same length cannot be the right size, so this fails below
            }
        }
        return Base64.decodeBase64(encoded);
    }

    private byte[] digest(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            // every Java runtime must provide SHA-1, SHA-256 and SHA-512
            throw new IllegalStateException(e);
        }
    }
}
