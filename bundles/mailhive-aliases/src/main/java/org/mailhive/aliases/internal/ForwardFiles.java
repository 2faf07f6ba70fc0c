package org.mailhive.aliases.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a user's .forward. Like sendmail and Postfix it refuses a file that someone other than
 * the user could have written (owned by another account, group- or world-writable) and anything
 * that is not a regular file,
 * because a .forward can run commands as that user.
 */
final class ForwardFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardFiles.class);
    /** Far beyond any real .forward; stops a huge file from being read into memory. */
    static final long MAX_SIZE = 64 * 1024;

    /**
     * Who may own a user's .forward: the user (a system account of that name), root, or the
     * account the server runs as (virtual users have no account; the operator made the file).
     */
    static boolean trustedOwner(String owner, String user) {
        String login = user;
        int at = login.indexOf('@');
        if (at >= 0) login = login.substring(0, at);
        return owner.equals(login) || owner.equals("root") || owner.equals(System.getProperty("user.name"));
    }

    /**
     * Who may own the .forward of a user with a uid of its own (system users, passwd-file lines
     * with a uid column): that uid or root, by number, as Postfix checks it. Such a file's commands
     * and files run and are written as that uid, so nobody else may have written it.
     */
    static boolean trustedOwner(int ownerUid, String userUid) {
        return ownerUid == 0 || Integer.toString(ownerUid).equals(userUid);
    }

    /** The values of the first .forward found along forwardPath, or null when there is none usable. */
    List<AliasValue> read(String home, List<String> forwardPath, String user) {
        return read(home, forwardPath, user, "");
    }

    /** As above for a user whose uid is known ({@code uid} empty when it is not): the owner is checked by number. */
    List<AliasValue> read(String home, List<String> forwardPath, String user, String uid) {
        if (home == null || home.isEmpty()) return null;
        for (String pattern : forwardPath) {
            Path p = Path.of(pattern.replace("${home}", home).replace("$home", home).replaceFirst("^~", home));
            // most users have none: java.io.File says so without the exception NIO would throw
            // and fill a stack trace for, at every delivery (a dangling link counts as none)
            if (!p.toFile().exists()) continue;
            PosixFileAttributes attrs;
            try {
                attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException e) {
                LOG.warn("{}: cannot check permissions on this file system; .forward ignored", p);
                return null;
            } catch (IOException e) {
                continue;
            }
            if (!attrs.isRegularFile()) {
                LOG.warn("{}: not a regular file; .forward of {} ignored", p, user);
                return null;
            }
            String owner = attrs.owner().getName();
            if (uid.isEmpty() ? !trustedOwner(owner, user) : !trustedOwner(ownerUid(p), uid)) {
                LOG.warn("{}: owned by {}, not by {}{}; .forward ignored", p, owner, user,
                        uid.isEmpty() ? "" : " (uid " + uid + ") or root");
                return null;
            }
            Set<PosixFilePermission> perms = attrs.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                LOG.warn("{}: group- or world-writable; .forward of {} ignored", p, user);
                return null;
            }
            if (attrs.size() > MAX_SIZE) {
                LOG.warn("{}: larger than {} bytes; .forward of {} ignored", p, MAX_SIZE, user);
                return null;
            }
            List<String> lines;
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                lines = new String(in.readNBytes((int) MAX_SIZE), StandardCharsets.UTF_8).lines().toList();
            } catch (IOException e) {
                LOG.error("{}: cannot read .forward of {}: {}", p, user, e.toString());
                return null;
            }
            List<AliasSyntaxException> errors = new ArrayList<>();
            List<AliasValue> values = AliasFileParser.parseValues(p.toString(), lines, errors);
            if (!errors.isEmpty()) {
                for (AliasSyntaxException e : errors) LOG.error("{}:{}: {}", e.file(), e.line(), e.reason());
                LOG.error("{}: .forward of {} ignored because of the errors above", p, user);
                return null;
            }
            // an empty .forward means "no forwarding", as in sendmail
            return values.isEmpty() ? null : values;
        }
        return null;
    }

    private static int ownerUid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // unknown owner: never trusted
            return -1;
        }
    }
}
