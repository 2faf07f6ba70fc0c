package org.mailhive.admin.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mailhive.api.config.Settings;

/**
 * {@code mailhive check}, Postfix's {@code postfix check}: every .cfg against its metatype (unknown
 * keys, types, ports), listeners sharing a port, then the files the configuration names (TLS
 * certificate and key, alias maps, passwd file) and the permissions of the directories. The
 * syntax of the aliases files is {@code mailhive aliases check}'s job, not this one's.
 */
public final class ConfigChecker {

    static final String TLS_PID = "org.mailhive.tls";
    static final String ALIASES_PID = "org.mailhive.aliases";
    static final String USERS_PID = "org.mailhive.users";
    static final String QUEUE_PID = "org.mailhive.queue";

    private final MetatypeCatalogue catalogue;
    private final Substitution subst;
    private final Path configDir;
    private final Path dataDir;
    private final FileChecks files;

    public ConfigChecker(MetatypeCatalogue catalogue, Substitution subst, Path configDir, Path dataDir) {
        this.catalogue = catalogue;
        this.subst = subst;
        this.configDir = configDir;
        this.dataDir = dataDir;
        this.files = new FileChecks();
    }

    public CheckReport check() {
        CheckReport r = new CheckReport();
        List<ConfigEntry> entries;
        try {
            entries = ConfigFiles.read(configDir);
        } catch (IOException e) {
            r.error("mailhive.config", configDir + " cannot be read: " + e.getMessage());
            return r;
        }
        if (catalogue.all().isEmpty()) {
            r.warning("mailhive.home", "no bundle metatype found; parameter names and types are not checked");
        }
        for (ConfigEntry e : entries) checkKeys(e, r);
        new PortChecks(catalogue).check(entries, r);
        checkTls(find(entries, TLS_PID), r);
        checkAliases(find(entries, ALIASES_PID), r);
        checkUsers(find(entries, USERS_PID), r);
        checkDirectories(find(entries, QUEUE_PID), entries, r);
        return r;
    }

    private void checkKeys(ConfigEntry e, CheckReport r) {
        PidInfo info = catalogue.get(e.pid());
        boolean ours = e.pid().startsWith("org.mailhive.");
        if (info == null) {
            if (ours && !catalogue.all().isEmpty()) r.warning(e.file(), "no installed bundle reads PID " + e.pid());
            return;
        }
        if (info.factory() != e.factory()) {
            // other bundles' metatype may describe a PID they also use as a factory (FileInstall does)
            if (!ours) return;
            r.error(e.file(), e.pid() + (info.factory()
                    ? " is a factory PID: name the file " + e.pid() + "-NAME.cfg"
                    : " is not a factory PID: name the file " + e.pid() + ".cfg"));
            return;
        }
        for (Map.Entry<String, String> kv : e.values().entrySet()) {
            Param p = info.param(kv.getKey());
            if (p == null) {
                r.warning(e.file() + ": " + kv.getKey(), "unknown parameter");
                continue;
            }
            String v = subst.apply(kv.getValue(), e.values());
            String problem = Values.problem(p, v);
            if (problem != null) r.error(e.file() + ": " + kv.getKey(), problem);
        }
    }

    private void checkTls(ConfigEntry e, CheckReport r) {
        if (e == null) return;
        String cert = value(e, "ssl_cert");
        String key = value(e, "ssl_key");
        String keystore = value(e, "ssl_keystore");
        String where = e.file() + ": ";
        // empty cert and key: the TLS bundle uses or generates DATA/tls/server.{crt,key}
        if (!cert.isEmpty()) files.certificate(Path.of(cert), where + "ssl_cert", r);
        if (!key.isEmpty()) files.privateKey(Path.of(key), where + "ssl_key", r);
        if (!keystore.isEmpty()) files.readableFile(Path.of(keystore), where + "ssl_keystore", r);
    }

    private void checkAliases(ConfigEntry e, CheckReport r) {
        ConfigEntry cfg = e != null ? e : missing(ALIASES_PID);
        for (String key : List.of("alias_maps", "virtual_alias_maps")) {
            String v = value(cfg, key);
            if (key.equals("alias_maps") && !cfg.values().containsKey(key) && v.isEmpty()) {
                v = subst.apply("${mailhive.config}/aliases");
            }
            for (String item : Settings.splitList(v)) {
                // tolerate Postfix's "hash:/etc/aliases" habit: the type prefix names no file
                String path = item.matches("[a-z]+:/.*") ? item.substring(item.indexOf(':') + 1) : item;
                Path p = Path.of(path);
                if (!p.isAbsolute()) {
                    r.error(cfg.file() + ": " + key, "must be an absolute path: \"" + item + "\"");
                } else {
                    files.readableFile(p, cfg.file() + ": " + key, r);
                }
            }
        }
    }

    private void checkUsers(ConfigEntry e, CheckReport r) {
        ConfigEntry cfg = e != null ? e : missing(USERS_PID);
        String v = value(cfg, "passwd_file");
        Path file = v.isEmpty() ? configDir.resolve("users") : Path.of(v);
        String where = cfg.file() + ": passwd_file";
        if (!file.isAbsolute()) {
            r.error(where, "must be an absolute path: \"" + v + "\"");
            return;
        }
        if (!files.readableFile(file, where, r)) return;
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String problem = passwdLineProblem(lines.get(i));
                if (problem != null) r.error(where, file + ":" + (i + 1) + ": " + problem);
            }
        } catch (IOException ex) {
            r.error(where, file + ": cannot be read: " + ex.getMessage());
        }
    }

    /** Dovecot passwd-file: {@code user:password[:uid:gid:gecos:home:shell:extra]}; null when the line is fine. */
    static String passwdLineProblem(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) return null;
        int colon = l.indexOf(':');
        if (colon < 0) return "no ':' (expected user:password[:uid:gid:gecos:home:shell:extra])";
        String user = l.substring(0, colon);
        if (user.isEmpty()) return "empty user name";
        for (int i = 0; i < user.length(); i++) {
            if (Character.isWhitespace(user.charAt(i))) return "white space in user name \"" + user + "\"";
        }
        String rest = l.substring(colon + 1);
        int next = rest.indexOf(':');
        String password = next < 0 ? rest : rest.substring(0, next);
        if (password.startsWith("{") && password.indexOf('}') < 0) return "password scheme without closing '}'";
        return null;
    }

    private void checkDirectories(ConfigEntry queue, List<ConfigEntry> entries, CheckReport r) {
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) {
                r.error("mailhive.data", dataDir + " does not exist");
            } else if (!Files.isWritable(dataDir)) {
                r.error("mailhive.data", dataDir + " is not writable");
            }
        }
        ConfigEntry q = queue != null ? queue : missing(QUEUE_PID);
        String v = value(q, "queue_directory");
        Path qdir = v.isEmpty() ? (dataDir == null ? null : dataDir.resolve("queue")) : Path.of(v);
        if (qdir != null && Files.isDirectory(qdir)) files.queueDirectory(qdir, q.file() + ": queue_directory", r);
        files.notWorldWritable(configDir, "mailhive.config", r);
        for (ConfigEntry e : entries) files.notWorldWritable(configDir.resolve(e.file()), e.file(), r);
    }

    /** The effective, substituted value: set in the file, else the metatype default. */
    private String value(ConfigEntry e, String key) {
        String v = e.values().get(key);
        if (v == null) {
            PidInfo info = catalogue.get(e.pid());
            Param p = info == null ? null : info.param(key);
            v = p == null ? "" : p.defaultValue();
        }
        return subst.apply(v, e.values()).trim();
    }

    private static ConfigEntry find(List<ConfigEntry> entries, String pid) {
        for (ConfigEntry e : entries) {
            if (e.pid().equals(pid) && !e.factory()) return e;
        }
        return null;
    }

    /** A configuration without a file still names files through its defaults; problems go to the file it would have. */
    private static ConfigEntry missing(String pid) {
        return new ConfigEntry(pid, null, pid + ".cfg", Map.of());
    }
}
