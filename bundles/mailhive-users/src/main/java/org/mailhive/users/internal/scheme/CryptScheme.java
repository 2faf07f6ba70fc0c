package org.mailhive.users.internal.scheme;

/**
 * {@code {CRYPT}} and hashes without a prefix: crypt(3) picks the algorithm from the
 * {@code $id$} of the hash, so this dispatches to the crypt schemes it knows. DES crypt is
 * refused: it truncates passwords to eight characters.
 */
final class CryptScheme implements PasswordScheme {

    private final PasswordScheme sha512 = new Sha512CryptScheme();
    private final PasswordScheme sha256 = new Sha256CryptScheme();
    private final PasswordScheme md5 = new Md5CryptScheme();
    private final PasswordScheme blf = new BlfCryptScheme();

    @Override
    public String name() {
        return "CRYPT";
    }

    @Override
    public String hash(byte[] password) {
        return sha512.hash(password);
    }

    @Override
    public String hash(byte[] password, int rounds) {
        return sha512.hash(password, rounds);
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        PasswordScheme s = forHash(encoded);
        return s != null && s.verify(password, encoded);
    }

    PasswordScheme forHash(String encoded) {
        if (encoded.startsWith("$6$")) return sha512;
        if (encoded.startsWith("$5$")) return sha256;
        if (encoded.startsWith("$1$")) return md5;
        // Dovecot 2.3 writes {CRYPT} as bcrypt where libc has it
        if (BlfCryptScheme.isBcrypt(encoded)) return blf;
        return null;
    }
}
