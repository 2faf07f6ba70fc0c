package org.mailhive.users.internal.scheme;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code {PLAIN}secret}: for tests and migration only. */
final class PlainScheme implements PasswordScheme {

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public String hash(byte[] password) {
        return new String(password, StandardCharsets.UTF_8);
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        return MessageDigest.isEqual(password, encoded.getBytes(StandardCharsets.UTF_8));
    }
}
