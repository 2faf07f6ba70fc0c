package org.mailhive.users.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
 * Users from a Dovecot passwd-file, re-read when it changes ({@link WatchedFile}); a file that does
 * not parse leaves the last good users in force.
 * With system_users on, a name the file does not know is looked up in the system's passwd
 * ({@link SystemUsers}): a bare login, or login@domain for a domain in mydestination.
 */
@Component(service = {UserDirectory.class, Authenticator.class}, configurationPid = "org.mailhive.users")
@Designate(ocd = UsersConfig.class)
public final class PasswdFileUsers implements UserDirectory, Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(PasswdFileUsers.class);
    static final String CONFIG_DIR_PROPERTY = "mailhive.config";
    static final String DATA_DIR_PROPERTY = "mailhive.data";

    private final PasswordSchemes schemes = PasswordSchemes.standard();
    /** The passwd_file; null until a usable path was configured. */
    private volatile WatchedFile<Map<String, PasswdEntry>> file;
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
        WatchedFile<Map<String, PasswdEntry>> current = file;
        if (chosen != null && (current == null || !chosen.equals(current.file()))) {
            WatchedFile<Map<String, PasswdEntry>> next = new WatchedFile<>(chosen, Map.of(), lines -> {
                Map<String, PasswdEntry> users = Map.copyOf(PasswdFile.parse(lines, schemes));
                LOG.info("{}: {} users", chosen, users.size());
                return users;
            });
            next.get();
            file = next;
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

    /** The current users of the passwd_file. */
    Map<String, PasswdEntry> users() {
        WatchedFile<Map<String, PasswdEntry>> f = file;
        return f == null ? Map.of() : f.get();
    }
}
