package org.mailhive.users.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.users.Authenticator;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.mailhive.users.internal.scheme.PasswordSchemes;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from a Dovecot passwd-file. The file is re-read when its inode, size or mtime change,
 * checked at most once a second; a file that does not parse leaves the last good users in force.
 * With system_users on, a name the file does not know is looked up in the system's passwd
 * ({@link SystemUsers}): a bare login, or login@domain for a domain in mydestination.
 */
@Component(service = {UserDirectory.class, Authenticator.class}, configurationPid = "org.mailhive.users")
@Designate(ocd = UsersConfig.class)
public final class PasswdFileUsers implements UserDirectory, Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(PasswdFileUsers.class);
    static final String CONFIG_DIR_PROPERTY = "mailhive.config";
    static final String DATA_DIR_PROPERTY = "mailhive.data";

    /** What was last read, and the attributes that tell whether the file changed since. */
    private record Snapshot(Path file, Object fileKey, FileTime mtime, long size, Map<String, PasswdEntry> users) {

        boolean sameFile(Path f, BasicFileAttributes a) {
            return file.equals(f) && Objects.equals(fileKey, a.fileKey()) && a.lastModifiedTime().equals(mtime)
                    && a.size() == size;
        }
    }

    private final PasswordSchemes schemes = PasswordSchemes.standard();
    private final Object reloadLock = new Object();
    private volatile Path file;
    private volatile Snapshot snapshot;
    /** Template for users without a home of their own; empty = they have none. */
    private volatile String defaultHome = "";
    /** The system passwd/shadow, or null while system_users is off. */
    private volatile SystemUsers system;

    /** Tells which domains are this host's, for system logins written as login@domain. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerIdentity identity;

    /** For tests, which construct the component without DS. */
    void setIdentity(ServerIdentity identity) {
        this.identity = identity;
    }

    @Activate
    @Modified
    void configure(BundleContext context, Map<String, Object> props) {
        apply(context.getProperty(CONFIG_DIR_PROPERTY), context.getProperty(DATA_DIR_PROPERTY), props);
    }

    void apply(String configDir, Map<String, Object> props) {
        apply(configDir, null, props);
    }

    void apply(String configDir, String dataDir, Map<String, Object> props) {
        Settings s = new Settings(props);
        Path chosen = passwdFile(configDir, s);
        String home = s.string("default_home", "");
        if (home.isEmpty() && dataDir != null && !dataDir.isEmpty()) home = dataDir + "/mail/%d/%n";
        if (dataDir != null) home = home.replace("${" + DATA_DIR_PROPERTY + "}", dataDir);
        if (!home.isEmpty() && !home.startsWith("/")) s.problem("default_home", "must be an absolute path: \"" + home + "\"");
        SystemUsers.Options sys = systemOptions(s);
        if (s.ok()) {
            defaultHome = home;
            SystemUsers old = system;
            if (sys == null) {
                system = null;
            } else if (old == null || !old.options().equals(sys)) {
                system = new SystemUsers(sys, schemes);
                LOG.info("system users from {} (uids {}..{}), passwords from {}", sys.passwd(), sys.firstValidUid(),
                        sys.lastValidUid() == 0 ? "" : sys.lastValidUid(), sys.shadow());
            }
        }
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::error);
            if (file != null) return;
            // first activation without a usable file: no users rather than a guessed path
        }
        if (chosen != null && !chosen.equals(file)) {
            file = chosen;
            synchronized (reloadLock) {
                refresh(chosen);
            }
        }
    }

    /** The passwd_file setting resolved against the config directory; null (and a problem in s) when unusable. */
    static Path passwdFile(String configDir, Settings s) {
        String value = s.string("passwd_file", "");
        if (value.isEmpty()) {
            if (configDir == null || configDir.isEmpty()) {
                s.problem("passwd_file", "not set and framework property " + CONFIG_DIR_PROPERTY + " is missing");
                return null;
            }
            return Path.of(configDir, "users");
        }
        String expanded = configDir == null ? value : value.replace("${" + CONFIG_DIR_PROPERTY + "}", configDir);
        Path chosen = Path.of(expanded);
        if (!chosen.isAbsolute()) {
            s.problem("passwd_file", "must be an absolute path: \"" + value + "\"");
            return null;
        }
        return chosen;
    }

    /** The system users settings, or null when system_users is off; problems are reported into s. */
    static SystemUsers.Options systemOptions(Settings s) {
        boolean on = s.bool("system_users", false);
        String passwd = s.string("system_passwd", "/etc/passwd");
        String shadow = s.string("system_shadow", "/etc/shadow");
        long first = s.longValue("first_valid_uid", 1000, 0, Integer.MAX_VALUE);
        long last = s.longValue("last_valid_uid", 0, 0, Integer.MAX_VALUE);
        String mail = s.string("system_mail_location", "maildir:~/Maildir");
        if (!passwd.startsWith("/")) s.problem("system_passwd", "must be an absolute path: \"" + passwd + "\"");
        if (!shadow.startsWith("/")) s.problem("system_shadow", "must be an absolute path: \"" + shadow + "\"");
        if (last != 0 && last < first) s.problem("last_valid_uid", "is below first_valid_uid (" + first + ")");
        if (!mail.isEmpty() && mail.indexOf(':') <= 0) {
            s.problem("system_mail_location", "must be format:path like maildir:~/Maildir, got \"" + mail + "\"");
        }
        if (!on || !s.ok()) return null;
        return new SystemUsers.Options(Path.of(passwd), Path.of(shadow), first, last, mail);
    }

    /**
     * The passwd name a login stands for: the login itself when it has no domain, its local part
     * when the domain is one of mydestination; null when it cannot be a system user.
     */
    String systemLogin(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at < 0) return lower.isEmpty() ? null : lower;
        ServerIdentity id = identity;
        if (at == 0 || id == null || !id.isMyDestination(lower.substring(at + 1))) return null;
        return lower.substring(0, at);
    }

    /** A user without a home gets default_home, expanded for that user. */
    MailUser withHome(MailUser u) {
        String template = defaultHome;
        if (!u.home().isEmpty() || template.isEmpty()) return u;
        String home = template.replace("%u", u.name()).replace("%n", u.localPart()).replace("%d", u.domain());
        if (home.contains("/../") || home.endsWith("/..")) return u;
        return new MailUser(u.name(), home, u.fields());
    }

    @Override
    public Optional<MailUser> lookup(String name) {
        PasswdEntry e = users().get(name.toLowerCase(Locale.ROOT));
        if (e != null) return Optional.of(withHome(e.toMailUser()));
        SystemUsers sys = system;
        String login = sys == null ? null : systemLogin(name);
        return login == null ? Optional.empty() : sys.lookup(login);
    }

    @Override
    public Optional<MailUser> authenticate(String login, char[] password) {
        PasswdEntry e = users().get(login.toLowerCase(Locale.ROOT));
        if (e == null) {
            SystemUsers sys = system;
            String name = sys == null ? null : systemLogin(login);
            if (name != null) return sys.authenticate(name, password);
        }
        if (e == null || e.password().isEmpty()) {
            schemes.verifyDummy(password);
            return Optional.empty();
        }
        return schemes.verify(e.password(), password) ? Optional.of(withHome(e.toMailUser())) : Optional.empty();
    }

    /**
     * The current users, re-read when the file changed. One stat per lookup keeps an edit by
     * {@code mailhive user add} visible to the very next SMTP transaction; it costs microseconds.
     */
    Map<String, PasswdEntry> users() {
        Path f = file;
        if (f == null) return Map.of();
        Snapshot s = snapshot;
        BasicFileAttributes attrs = null;
        try {
            attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (IOException e) {
            // refresh() below reports it
        }
        if (s == null || attrs == null || !s.sameFile(f, attrs)) {
            synchronized (reloadLock) {
                refresh(f);
            }
            s = snapshot;
        }
        return s == null ? Map.of() : s.users();
    }

    private void refresh(Path f) {
        Snapshot old = snapshot;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (old == null || old.fileKey() != null || !old.file().equals(f)) {
                LOG.warn("{}: passwd file does not exist; no users", f);
            }
            snapshot = new Snapshot(f, null, null, -1, Map.of());
            return;
        } catch (IOException e) {
            LOG.error("{}: cannot read passwd file, keeping the last good users: {}", f, e.toString());
            return;
        }
        if (old != null && old.sameFile(f, attrs)) return;
        Map<String, PasswdEntry> users;
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            users = Map.copyOf(PasswdFile.parse(lines, schemes));
            LOG.info("{}: {} users", f, users.size());
        } catch (PasswdFileException e) {
            LOG.error("{}:{}: {}", f.getFileName(), e.line(), e.reason());
            users = old == null || !old.file().equals(f) ? Map.of() : old.users();
        } catch (IOException e) {
            // not remembered: a transient read error is retried at the next check
            LOG.error("{}: cannot read passwd file, keeping the last good users: {}", f, e.toString());
            return;
        }
        // the attributes are remembered even after a failure so that a bad file is reported once
        snapshot = new Snapshot(f, attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), users);
    }
}
