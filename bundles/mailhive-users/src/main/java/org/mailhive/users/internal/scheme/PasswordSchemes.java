package org.mailhive.users.internal.scheme;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of schemes by name. Stored passwords look like {@code {SCHEME}data}; without braces
 * they are crypt(3) hashes, as in Dovecot's passwd-file default. New schemes (BLF-CRYPT,
 * ARGON2ID) are one class and one line in {@link #standard()}.
 */
public final class PasswordSchemes {

    public static final String DEFAULT_SCHEME = "SHA512-CRYPT";

    private final Map<String, PasswordScheme> schemes;
    private final CryptScheme crypt = new CryptScheme();
    /** Verified against for unknown users, so that a miss costs as much as a wrong password. */
    private final String dummy;

    private PasswordSchemes(Map<String, PasswordScheme> schemes) {
        this.schemes = Map.copyOf(schemes);
        byte[] random = Salts.bytes(18);
        this.dummy = "{" + DEFAULT_SCHEME + "}" + schemes.get(DEFAULT_SCHEME).hash(random);
    }

    public static PasswordSchemes standard() {
        Map<String, PasswordScheme> m = new LinkedHashMap<>();
        for (PasswordScheme s : new PasswordScheme[] {new Sha512CryptScheme(), new Sha256CryptScheme(),
            new Md5CryptScheme(), new CryptScheme(), new PlainScheme(), new Sha512Scheme(), new Ssha512Scheme()}) {
            m.put(s.name(), s);
        }
        return new PasswordSchemes(m);
    }

    public Set<String> names() {
        return schemes.keySet();
    }

    /** The scheme a stored password uses, or empty when it names none this table knows. */
    public Optional<PasswordScheme> schemeOf(String stored) {
        if (stored.startsWith("{")) {
            int close = stored.indexOf('}');
            if (close < 0) return Optional.empty();
            return Optional.ofNullable(schemes.get(stored.substring(1, close).toUpperCase(Locale.ROOT)));
        }
        return crypt.forHash(stored) == null ? Optional.empty() : Optional.of(crypt);
    }

    /** {@code {SCHEME}hash} for a new password. */
    public String encode(String scheme, char[] password) {
        PasswordScheme s = schemes.get(scheme.toUpperCase(Locale.ROOT));
        if (s == null) throw new IllegalArgumentException("unknown password scheme " + scheme);
        byte[] pw = utf8(password);
        try {
            return "{" + s.name() + "}" + s.hash(pw);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** Checks a password; a stored value of an unknown scheme never matches. */
    public boolean verify(String stored, char[] password) {
        byte[] pw = utf8(password);
        try {
            Optional<PasswordScheme> s = schemeOf(stored);
            if (s.isEmpty()) {
                verifyDummy(pw);
                return false;
            }
            return s.get().verify(pw, data(stored));
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** Spends the time of one real verification; always false. */
    public boolean verifyDummy(char[] password) {
        byte[] pw = utf8(password);
        try {
            return verifyDummy(pw);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private boolean verifyDummy(byte[] pw) {
        schemes.get(DEFAULT_SCHEME).verify(pw, data(dummy));
        return false;
    }

    private static String data(String stored) {
        if (!stored.startsWith("{")) return stored;
        return stored.substring(stored.indexOf('}') + 1);
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
        return out;
    }
}
