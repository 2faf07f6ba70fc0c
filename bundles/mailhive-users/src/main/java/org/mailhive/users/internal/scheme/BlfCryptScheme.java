package org.mailhive.users.internal.scheme;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * {@code {BLF-CRYPT}$2y$10$salthash}: bcrypt. Dovecot writes the {@code 2y} variant; {@code 2a}
 * and {@code 2b} compute the same function for the passwords that exist in practice.
 */
final class BlfCryptScheme implements PasswordScheme {

    static final int DEFAULT_COST = 10;

    @Override
    public String name() {
        return "BLF-CRYPT";
    }

    @Override
    public String hash(byte[] password) {
        return hash(password, 0);
    }

    @Override
    public String hash(byte[] password, int rounds) {
        int cost = rounds == 0 ? DEFAULT_COST : rounds;
        if (cost < 4 || cost > 31) throw new IllegalArgumentException("BLF-CRYPT cost must be 4..31, not " + rounds);
        // bcrypt reads at most 72 bytes; refusing longer passwords beats silently ignoring their end
        if (password.length > 72) throw new IllegalArgumentException("BLF-CRYPT passwords are limited to 72 bytes");
        return OpenBSDBCrypt.generate("2y", password, Salts.bytes(16), cost);
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        if (!isBcrypt(encoded)) return false;
        try {
            // BC compares the recomputed hash in constant time
            return OpenBSDBCrypt.checkPassword(encoded, password);
        } catch (RuntimeException e) {
            // BC throws IllegalArgumentException / DataLengthException for malformed strings
            return false;
        }
    }

    static boolean isBcrypt(String encoded) {
        return encoded.length() == 60
                && (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$"));
    }
}
