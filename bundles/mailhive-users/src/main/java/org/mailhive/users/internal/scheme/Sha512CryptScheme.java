package org.mailhive.users.internal.scheme;

import org.apache.commons.codec.digest.Sha2Crypt;

/** {@code {SHA512-CRYPT}$6$salt$hash}: glibc's SHA-512 crypt, Dovecot's recommended scheme without Argon2. */
final class Sha512CryptScheme implements PasswordScheme {

    @Override
    public String name() {
        return "SHA512-CRYPT";
    }

    @Override
    public String hash(byte[] password) {
        return Sha2Crypt.sha512Crypt(password, "$6$" + Salts.cryptSalt(16));
    }

    @Override
    public String hash(byte[] password, int rounds) {
        if (rounds == 0) return hash(password);
        if (rounds < 1000 || rounds > 999_999_999) {
            throw new IllegalArgumentException(name() + " rounds must be 1000..999999999, not " + rounds);
        }
        return Sha2Crypt.sha512Crypt(password, "$6$rounds=" + rounds + "$" + Salts.cryptSalt(16));
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        if (!encoded.startsWith("$6$")) return false;
        try {
            return Salts.sameText(Sha2Crypt.sha512Crypt(password, encoded), encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
