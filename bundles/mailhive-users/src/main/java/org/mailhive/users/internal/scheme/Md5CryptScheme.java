package org.mailhive.users.internal.scheme;

import org.apache.commons.codec.digest.Md5Crypt;

/** {@code {MD5-CRYPT}$1$salt$hash}: weak, accepted so that old passwd files keep working; never offered for new passwords. */
final class Md5CryptScheme implements PasswordScheme {

    @Override
    public String name() {
        return "MD5-CRYPT";
    }

    @Override
    public String hash(byte[] password) {
        throw new UnsupportedOperationException("MD5-CRYPT is accepted for old hashes only");
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        if (!encoded.startsWith("$1$")) return false;
        try {
            return Salts.sameText(Md5Crypt.md5Crypt(password, encoded), encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
