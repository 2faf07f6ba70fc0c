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
    public boolean verify(byte[] password, String encoded) {
        if (!encoded.startsWith("$5$")) return false;
        try {
            return Salts.sameText(Sha2Crypt.sha256Crypt(password, encoded), encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
