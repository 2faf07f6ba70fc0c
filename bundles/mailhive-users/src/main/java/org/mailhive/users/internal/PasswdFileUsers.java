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
import org.mailhive.api.users.Authenticator;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.mailhive.users.internal.scheme.PasswordSchemes;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from a Dovecot passwd-file. The file is re-read when its inode, size or mtime change,
 * checked at most once a second; a file that does not parse leaves the last good users in force.
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
        if (s.ok()) defaultHome = home;
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
        return e == null ? Optional.empty() : Optional.of(withHome(e.toMailUser()));
    }

    @Override
    public Optional<MailUser> authenticate(String login, char[] password) {
        PasswdEntry e = users().get(login.toLowerCase(Locale.ROOT));
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
