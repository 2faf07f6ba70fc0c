package org.mailhive.users.internal.scheme;

import org.apache.commons.codec.digest.Sha2Crypt;

/** {@code {SHA256-CRYPT}$5$salt$hash}. */
final class Sha256CryptScheme implements PasswordScheme {

    @Override
    public String name() {
        return "SHA256-CRYPT";
    }

    @Override
    public String hash(byte[] password) {
        return Sha2Crypt.sha256Crypt(password, "$5$" + Salts.cryptSalt(16));
    }

    @Override
    public String hash(byte[] password, int rounds) {
        if (rounds == 0) return hash(password);
        if (rounds < 1000 || rounds > 999_999_999) {
            throw new IllegalArgumentException(name() + " rounds must be 1000..999999999, not " + rounds);
        }
        return Sha2Crypt.sha256Crypt(password, "$5$rounds=" + rounds + "$" + Salts.cryptSalt(16));
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        if (!encoded.startsWith("$5$")) return false;
        try {
            return Salts.sameText(Sha2Crypt.sha256Crypt(password, encoded), encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
