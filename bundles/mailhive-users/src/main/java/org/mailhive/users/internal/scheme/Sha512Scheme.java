package org.mailhive.users.internal.scheme;

import java.security.MessageDigest;
import org.apache.commons.codec.binary.Base64;
import org.apache.commons.codec.digest.DigestUtils;

/** {@code {SHA512}base64(sha512(password))}: unsalted, for compatibility with existing files. */
final class Sha512Scheme implements PasswordScheme {

    @Override
    public String name() {
        return "SHA512";
    }

    @Override
    public String hash(byte[] password) {
        return Base64.encodeBase64String(DigestUtils.sha512(password));
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        byte[] stored = Base64.decodeBase64(encoded);
        return stored.length == 64 && MessageDigest.isEqual(DigestUtils.sha512(password), stored);
    }
}
