package org.mailhive.users.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.users.internal.scheme.PasswordSchemes;

/** Parser of the passwd-file format. Pure: lines in, entries (keyed by lower-case user) out. */
public final class PasswdFile {

    private PasswdFile() {
    }

    /** True for lines that carry no entry. */
    public static boolean isBlankOrComment(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    /** The lower-case lookup key of an entry line (text before the first ':'), or null for comments. */
    public static String keyOf(String line) {
        if (isBlankOrComment(line)) return null;
        int colon = line.indexOf(':');
        return (colon < 0 ? line : line.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    }

    public static Map<String, PasswdEntry> parse(List<String> lines, PasswordSchemes schemes)
            throws PasswdFileException {
        Map<String, PasswdEntry> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isBlankOrComment(line)) continue;
            PasswdEntry e = parseLine(stripCr(line), i + 1, schemes);
            String key = e.user().toLowerCase(Locale.ROOT);
            if (users.putIfAbsent(key, e) != null) {
                throw new PasswdFileException(i + 1, "duplicate user " + e.user());
            }
        }
        return users;
    }

    static PasswdEntry parseLine(String line, int number, PasswordSchemes schemes) throws PasswdFileException {
        // the 8th field (extra fields) may itself contain ':' as in mail=maildir:~/Maildir
        String[] f = line.split(":", 8);
        if (f.length < 2) throw new PasswdFileException(number, "expected user:password");
        String user = f[0].strip();
        String problem = userNameProblem(user);
        if (problem != null) throw new PasswdFileException(number, problem);
        String password = f[1];
        if (!password.isEmpty() && schemes.schemeOf(password).isEmpty()) {
            throw new PasswdFileException(number, "unknown password scheme for " + user);
        }
        String uid = field(f, 2);
        String gid = field(f, 3);
        if (!uid.chars().allMatch(Character::isDigit) || !gid.chars().allMatch(Character::isDigit)) {
            throw new PasswdFileException(number, "uid and gid must be numbers for " + user);
        }
        return new PasswdEntry(user, password, uid, gid, field(f, 4), field(f, 5), field(f, 6), field(f, 7));
    }

    /** Why a name cannot be a user here, or null when it can. */
    public static String userNameProblem(String user) {
        if (user.isEmpty()) return "empty user name";
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ':' || Character.isWhitespace(c)) {
                return "bad character in user name \"" + printable(user) + "\"";
            }
        }
        if (user.startsWith("#")) return "user name must not start with '#'";
        try {
            MailAddress.parse(user);
        } catch (IllegalArgumentException e) {
            return "user name \"" + user + "\" is not an address (local@domain): " + e.getMessage();
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
