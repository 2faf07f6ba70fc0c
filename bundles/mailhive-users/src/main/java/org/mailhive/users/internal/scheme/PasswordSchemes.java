package org.mailhive.users.internal.scheme;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of schemes by name. Stored passwords look like {@code {SCHEME}data}; without braces
 * they are crypt(3) hashes, as in Dovecot's passwd-file default. Names and formats are
 * Dovecot's, so a passwd file moves between Dovecot and Mailhive unchanged.
 */
public final class PasswordSchemes {

    public static final String DEFAULT_SCHEME = "SHA512-CRYPT";

    /** By upper-case name, including Dovecot's aliases. */
    private final Map<String, PasswordScheme> schemes;
    /** The main names, in the order {@code pw -l} lists them. */
    private final Set<String> names;
    private final CryptScheme crypt = new CryptScheme();
    /** Verified against for unknown users, so that a miss costs as much as a wrong password. */
    private final String dummy;

    private PasswordSchemes(Map<String, PasswordScheme> schemes, Set<String> names) {
        this.schemes = Map.copyOf(schemes);
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
        byte[] random = Salts.bytes(18);
        this.dummy = "{" + DEFAULT_SCHEME + "}" + schemes.get(DEFAULT_SCHEME).hash(random);
    }

    public static PasswordSchemes standard() {
        Map<String, PasswordScheme> m = new LinkedHashMap<>();
        for (PasswordScheme s : new PasswordScheme[] {new Sha512CryptScheme(), new Sha256CryptScheme(),
            new BlfCryptScheme(), Argon2Scheme.argon2id(), Argon2Scheme.argon2i(), new Md5CryptScheme(),
            new CryptScheme(), new PlainScheme(), DigestScheme.salted("SSHA512", "SHA-512", 64),
            DigestScheme.salted("SSHA256", "SHA-256", 32), DigestScheme.salted("SSHA", "SHA-1", 20),
            DigestScheme.plain("SHA512", "SHA-512", 64), DigestScheme.plain("SHA256", "SHA-256", 32),
            DigestScheme.plain("SHA", "SHA-1", 20)}) {
            m.put(s.name(), s);
        }
        Set<String> names = new LinkedHashSet<>(m.keySet());
        m.put("SHA1", m.get("SHA"));
        m.put("CLEAR", m.get("PLAIN"));
        m.put("CLEARTEXT", m.get("PLAIN"));
        return new PasswordSchemes(m, names);
    }

    /** The schemes by their main names; {@link #isKnown} also accepts Dovecot's aliases (SHA1, CLEAR…). */
    public Set<String> names() {
        return names;
    }

    /** True for a scheme name this table knows, in any case. */
    public boolean isKnown(String scheme) {
        return schemes.containsKey(scheme.toUpperCase(Locale.ROOT));
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
        return encode(scheme, password, 0);
    }

    /**
     * {@code {SCHEME}hash} for a new password with a work factor ({@code doveadm pw -r}); 0 means
     * the scheme's default. The prefix repeats the name as asked, as doveadm does for aliases.
     * Throws IllegalArgumentException for an unknown or verify-only scheme or a refused value.
     */
    public String encode(String scheme, char[] password, int rounds) {
        String name = scheme.toUpperCase(Locale.ROOT);
        PasswordScheme s = schemes.get(name);
        if (s == null) throw new IllegalArgumentException("unknown password scheme " + scheme);
        byte[] pw = utf8(password);
        try {
            return "{" + name + "}" + s.hash(pw, rounds);
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
