package org.mailhive.users.internal.scheme;

import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.commons.codec.binary.Base64;
import org.apache.commons.codec.digest.DigestUtils;

/** {@code {SSHA512}base64(sha512(password + salt) + salt)}, as Dovecot and OpenLDAP write it. */
final class Ssha512Scheme implements PasswordScheme {

    private static final int DIGEST = 64;

    @Override
    public String name() {
        return "SSHA512";
    }

    @Override
    public String hash(byte[] password) {
        byte[] salt = Salts.bytes(16);
        byte[] digest = digest(password, salt);
        byte[] out = Arrays.copyOf(digest, DIGEST + salt.length);
        System.arraycopy(salt, 0, out, DIGEST, salt.length);
        return Base64.encodeBase64String(out);
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        byte[] stored = Base64.decodeBase64(encoded);
        if (stored.length <= DIGEST) return false;
        byte[] salt = Arrays.copyOfRange(stored, DIGEST, stored.length);
        return MessageDigest.isEqual(digest(password, salt), Arrays.copyOf(stored, DIGEST));
    }

    private static byte[] digest(byte[] password, byte[] salt) {
        MessageDigest md = DigestUtils.getSha512Digest();
        md.update(password);
        md.update(salt);
        return md.digest();
    }
}
