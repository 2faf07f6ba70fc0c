package org.mailhive.users.internal.scheme;

import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * {@code {ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$salt$hash} and {@code {ARGON2I}…}: the PHC
 * string libsodium writes for Dovecot, salt and hash in Base64 without padding. Verification
 * takes m, t and p from the string, within limits, so that a hostile line in the passwd file
 * cannot make one login allocate gigabytes.
 */
final class Argon2Scheme implements PasswordScheme {

    /** libsodium's crypto_pwhash_str limits for ARGON2ID/ARGON2I "interactive", as Dovecot uses them. */
    static Argon2Scheme argon2id() {
        return new Argon2Scheme("ARGON2ID", "argon2id", Argon2Parameters.ARGON2_id, 65536, 3);
    }

    static Argon2Scheme argon2i() {
        return new Argon2Scheme("ARGON2I", "argon2i", Argon2Parameters.ARGON2_i, 32768, 4);
    }

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_PASSES = 64;
    private static final int MAX_LANES = 16;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final String name;
    private final String id;
    private final int type;
    private final int memoryKib;
    private final int passes;

    private Argon2Scheme(String name, String id, int type, int memoryKib, int passes) {
        this.name = name;
        this.id = id;
        this.type = type;
        this.memoryKib = memoryKib;
        this.passes = passes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String hash(byte[] password) {
        return hash(password, 0);
    }

    @Override
    public String hash(byte[] password, int rounds) {
        int t = rounds == 0 ? passes : rounds;
        if (t < 1 || t > MAX_PASSES) throw new IllegalArgumentException(name + " passes must be 1.." + MAX_PASSES);
        byte[] salt = Salts.bytes(SALT_BYTES);
        byte[] out = derive(password, salt, Argon2Parameters.ARGON2_VERSION_13, memoryKib, t, 1, HASH_BYTES);
        return "$" + id + "$v=19$m=" + memoryKib + ",t=" + t + ",p=1$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(out);
    }

    @Override
    public boolean verify(byte[] password, String encoded) {
        Parsed p = parse(encoded);
        if (p == null) return false;
        byte[] computed = derive(password, p.salt, p.version, p.memory, p.passes, p.lanes, p.hash.length);
        return MessageDigest.isEqual(computed, p.hash);
    }

    private record Parsed(int version, int memory, int passes, int lanes, byte[] salt, byte[] hash) {
    }

    /** The fields of {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}, or null when malformed or out of limits. */
    private Parsed parse(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        // "", id, [v=..], params, salt, hash — v= is absent in strings from Argon2 1.0
        if (parts.length != 6 && parts.length != 5) return null;
        if (!parts[0].isEmpty() || !parts[1].equals(id)) return null;
        int i = 2;
        int version = Argon2Parameters.ARGON2_VERSION_10;
        if (parts.length == 6) {
            if (parts[2].equals("v=19")) {
                version = Argon2Parameters.ARGON2_VERSION_13;
            } else if (!parts[2].equals("v=16")) {
                return null;
            }
            i = 3;
        }
        int m = -1;
        int t = -1;
        int p = -1;
        for (String kv : parts[i].split(",", -1)) {
            int eq = kv.indexOf('=');
            if (eq < 0) return null;
            int value = smallNumber(kv.substring(eq + 1));
            switch (kv.substring(0, eq)) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> {
                    return null;
                }
            }
        }
        if (p < 1 || p > MAX_LANES || t < 1 || t > MAX_PASSES || m < 8 * p || m > MAX_MEMORY_KIB) return null;
        try {
            byte[] salt = Base64.getDecoder().decode(parts[i + 1]);
            byte[] hash = Base64.getDecoder().decode(parts[i + 2]);
            if (salt.length < 8 || hash.length < 4 || hash.length > 1024) return null;
            return new Parsed(version, m, t, p, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int smallNumber(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        return Integer.parseInt(s);
    }

    private byte[] derive(byte[] password, byte[] salt, int version, int memory, int t, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memory)
                .withIterations(t).withParallelism(lanes).withSalt(salt).build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[length];
        gen.generateBytes(password, out);
        params.clear();
        return out;
    }
}
