package org.mailhive.users.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mailhive.api.users.MailUser;
import org.mailhive.users.internal.scheme.PasswordSchemes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts of the system's passwd(5), with passwords from shadow(5): Dovecot's
 * {@code userdb passwd} plus {@code passdb shadow}, Postfix local(8)'s idea of a local user.
 * Only accounts with a uid in [first_valid_uid, last_valid_uid] are mail users, so root and the
 * daemons are not. A user carries its uid and gid as the fields {@code uid} and {@code gid}.
 */
final class SystemUsers {

    private static final Logger LOG = LoggerFactory.getLogger(SystemUsers.class);

    /** What one configuration says; replaced whole. */
    record Options(Path passwd, Path shadow, long firstValidUid, long lastValidUid, String mailLocation) {
    }

    private final Options options;
    private final WatchedFile<Map<String, String[]>> passwd;
    private final WatchedFile<Map<String, String[]>> shadow;
    private final PasswordSchemes schemes;
    private final SystemCrypt crypt;
    /** Users already warned about an unsupported hash; one WARN each, not one per login attempt. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    SystemUsers(Options options, PasswordSchemes schemes) {
        this(options, schemes, SystemCrypt.system());
    }

    SystemUsers(Options options, PasswordSchemes schemes, SystemCrypt crypt) {
        this.options = options;
        this.schemes = schemes;
        this.crypt = crypt;
        this.passwd = WatchedFile.colonFile(options.passwd(), 7);
        this.shadow = WatchedFile.colonFile(options.shadow(), 2);
    }

    Options options() {
        return options;
    }

    /** The users whose unsupported hash was reported (each once). */
    Set<String> warned() {
        return Set.copyOf(warned);
    }

    /** The account of this login name, when it is a mail user. */
    Optional<MailUser> lookup(String login) {
        String[] f = passwd.get().get(login);
        if (f == null) return Optional.empty();
        long uid;
        long gid;
        try {
            uid = Long.parseLong(f[2]);
            gid = Long.parseLong(f[3]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (uid < options.firstValidUid() || (options.lastValidUid() > 0 && uid > options.lastValidUid())) {
            return Optional.empty();
        }
        if (uid > Integer.MAX_VALUE || gid > Integer.MAX_VALUE || gid < 0) return Optional.empty();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("uid", Long.toString(uid));
        fields.put("gid", Long.toString(gid));
        if (!options.mailLocation().isEmpty()) fields.put("mail", options.mailLocation());
        return Optional.of(new MailUser(f[0], f[5], fields));
    }

    /**
     * The account when the password matches its shadow entry. Always spends one verification, so
     * that unknown, locked and wrong cannot be told apart by timing.
     */
    Optional<MailUser> authenticate(String login, char[] password) {
        Optional<MailUser> user = lookup(login);
        String[] s = user.isEmpty() ? null : shadow.get().get(login);
        String hash = s == null ? "" : s[1];
        boolean usable = !hash.isEmpty() && !hash.startsWith("!") && !hash.startsWith("*");
        if (usable && supported(hash)) return schemes.verify(hash, password) ? user : Optional.empty();
        if (usable && hash.startsWith("$") && crypt.covers(shadow.file())) {
            // yescrypt and the like: the system's crypt(3) decides, as it does for login(1)
            return crypt.verify(user.get().name(), password) ? user : Optional.empty();
        }
        if (usable && warned.add(login)) {
            LOG.warn("{}: password of system user {} uses {}, which Mailhive verifies only through {} for {}; "
                    + "the user cannot log in until the password is set again with SHA-512 crypt (chpasswd -c SHA512)",
                    shadow.file(), login, schemeName(hash), crypt.helper(), SystemCrypt.SYSTEM_SHADOW);
        }
        schemes.verifyDummy(password);
        return Optional.empty();
    }

    /** SHA-512, SHA-256 and MD5 crypt, and bcrypt: what the scheme table verifies without braces. */
    private boolean supported(String hash) {
        return !hash.startsWith("{") && schemes.schemeOf(hash).isPresent();
    }

    /** {@code $y$…} is "yescrypt", {@code $7$} scrypt, no {@code $id$} DES crypt. */
    static String schemeName(String hash) {
        if (!hash.startsWith("$")) return "DES crypt";
        int end = hash.indexOf('$', 1);
        String id = end < 0 ? hash.substring(1) : hash.substring(1, end);
        return switch (id) {
            case "y" -> "yescrypt ($y$)";
            case "gy" -> "gost-yescrypt ($gy$)";
            case "7" -> "scrypt ($7$)";
            case "sha1" -> "SHA-1 crypt ($sha1$)";
            default -> "crypt scheme $" + id + "$";
        };
    }
}
