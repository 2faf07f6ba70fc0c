package org.mailhive.admin.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.admin.internal.Fixtures;

class CheckCommandTest {

    @TempDir
    Path tmp;
    Path config;
    Path data;
    Path bundles;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        config = Files.createDirectories(tmp.resolve("config"));
        data = Files.createDirectories(tmp.resolve("data"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxr-xr-x"));
        bundles = Fixtures.bundleDir(tmp);
        Fixtures.write(config.resolve("aliases"), "postmaster: root");
        Fixtures.write(config.resolve("users"), "# users", "", "alice@localhost:{PLAIN}secret",
                "bob@localhost:{SHA512-CRYPT}$6$x$y:1000:1000::/home/bob::mail=maildir:~/Maildir");
        Fixtures.write(config.resolve("org.mailhive.aliases.cfg"), "alias_maps = ${mailhive.config}/aliases");
        Fixtures.write(config.resolve("org.mailhive.users.cfg"), "passwd_file = ${mailhive.config}/users");
        Fixtures.write(config.resolve("org.mailhive.tls.cfg"), "ssl_cert =", "ssl_key =", "ssl_generate_self_signed = yes");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"), "port = 2525", "smtpd_timeout = 5m");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2587");
        Fixtures.write(config.resolve("org.mailhive.pop3.listener-pop3.cfg"), "port = 2110", "ssl = no");
        Fixtures.write(config.resolve("org.mailhive.queue.cfg"), "queue_directory = ${mailhive.data}/queue");
        Fixtures.write(config.resolve("org.apache.felix.fileinstall-deploy.cfg"), "felix.fileinstall.poll = 1000");
        for (Path f : Files.newDirectoryStream(config)) {
            if (Files.isRegularFile(f)) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private int run() {
        List<String> a = new ArrayList<>(List.of("--config", config.toString(), "--data", data.toString(),
                "--bundles", bundles.toString()));
        return new CheckCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(a.toArray(new String[0]));
    }

    private List<String> lines() {
        String s = out.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void aGoodConfigurationPrintsNothing() {
        assertEquals(0, run());
        assertEquals(List.of(), lines());
    }

    @Test
    void badPortIsAnErrorWithFileAndKey() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"), "port = 99999");
        assertEquals(1, run());
        assertEquals(List.of("error: org.mailhive.smtp.listener-mta.cfg: port: 99999 is not a port (0..65535)"), lines());
    }

    @Test
    void typeErrorsAndUnknownKeys() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"),
                "port = 2525", "smtpd_timeout = 5x", "smtpd_reject_unlisted_recipient = maybe", "smtpd_bannr = hi");
        assertEquals(1, run());
        assertEquals(List.of(
                "error: org.mailhive.smtp.listener-mta.cfg: smtpd_timeout: not a time (e.g. 300s, 5m, 4h, 5d): \"5x\"",
                "error: org.mailhive.smtp.listener-mta.cfg: smtpd_reject_unlisted_recipient: not yes/no: \"maybe\"",
                "warning: org.mailhive.smtp.listener-mta.cfg: smtpd_bannr: unknown parameter"), lines());
    }

    @Test
    void onlyWarningsExitZero() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostnme = x");
        assertEquals(0, run());
        assertEquals(List.of("warning: org.mailhive.core.cfg: myhostnme: unknown parameter"), lines());
    }

    @Test
    void twoListenersOnOnePort() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2525");
        Fixtures.write(config.resolve("org.mailhive.pop3.listener-pop3.cfg"), "port = 2525", "bind = 127.0.0.1");
        assertEquals(1, run());
        assertEquals(List.of(
                "error: org.mailhive.smtp.listener-mta.cfg: port: 2525 is also used by org.mailhive.pop3.listener-pop3.cfg",
                "error: org.mailhive.smtp.listener-submission.cfg: port: 2525 is also used by org.mailhive.pop3.listener-pop3.cfg"),
                lines());
    }

    @Test
    void samePortOnDifferentAddressesIsFine() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"), "port = 2525", "bind = 127.0.0.1");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2525", "bind = 127.0.0.2");
        assertEquals(0, run());
        assertEquals(List.of(), lines());
    }

    @Test
    void missingCertificateAndKey() throws IOException {
        Path cert = tmp.resolve("tls/missing.crt");
        Fixtures.write(config.resolve("org.mailhive.tls.cfg"), "ssl_cert = " + cert, "ssl_key = ${mailhive.data}/no.key");
        assertEquals(1, run());
        assertEquals(List.of(
                "error: org.mailhive.tls.cfg: ssl_cert: " + cert + " does not exist",
                "error: org.mailhive.tls.cfg: ssl_key: " + data + "/no.key does not exist"), lines());
    }

    @Test
    void certificateThatIsNotPemAndAKeyReadableByOthers() throws IOException {
        Path cert = tmp.resolve("tls/server.crt");
        Path key = tmp.resolve("tls/server.key");
        Fixtures.write(cert, "-----BEGIN CERTIFICATE-----", "bm90IGEgY2VydGlmaWNhdGU=", "-----END CERTIFICATE-----");
        Fixtures.write(key, "-----BEGIN PRIVATE KEY-----", "MC4CAQAwBQYDK2VwBCIEIA==", "-----END PRIVATE KEY-----");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Fixtures.write(config.resolve("org.mailhive.tls.cfg"), "ssl_cert = " + cert, "ssl_key = " + key);
        assertEquals(1, run());
        List<String> l = lines();
        assertEquals(2, l.size(), l.toString());
        assertTrue(l.get(0).startsWith("error: org.mailhive.tls.cfg: ssl_cert: " + cert + " is not a PEM certificate"), l.get(0));
        assertEquals("warning: org.mailhive.tls.cfg: ssl_key: " + key
                + " is readable by group or others (mode 0644); chmod 600 it", l.get(1));
    }

    @Test
    void keyWithoutPemBlock() throws IOException {
        Path key = tmp.resolve("tls/server.key");
        Fixtures.write(key, "just text");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Fixtures.write(config.resolve("org.mailhive.tls.cfg"), "ssl_key = " + key);
        assertEquals(1, run());
        assertEquals(List.of("error: org.mailhive.tls.cfg: ssl_key: " + key + " holds no PEM private key"), lines());
    }

    @Test
    void aliasesFileMissingOrADirectory() throws IOException {
        Files.createDirectories(tmp.resolve("aliases.d"));
        Fixtures.write(config.resolve("org.mailhive.aliases.cfg"),
                "alias_maps = ${mailhive.config}/nothere", "virtual_alias_maps = " + tmp.resolve("aliases.d"));
        assertEquals(1, run());
        assertEquals(List.of(
                "error: org.mailhive.aliases.cfg: alias_maps: " + config + "/nothere does not exist",
                "error: org.mailhive.aliases.cfg: virtual_alias_maps: " + tmp.resolve("aliases.d") + " is not a regular file"),
                lines());
    }

    @Test
    void aliasesFileWithoutReadPermission() throws IOException {
        Files.setPosixFilePermissions(config.resolve("aliases"), PosixFilePermissions.fromString("---------"));
        if (Fixtures.root()) {
            // root reads a mode 000 file anyway, and so would the server running as root: no error
            assertEquals(0, run(), String.join("\n", lines()));
            return;
        }
        assertEquals(1, run());
        assertEquals(List.of("error: org.mailhive.aliases.cfg: alias_maps: " + config
                + "/aliases is not readable (AccessDeniedException)"), lines());
    }

    @Test
    void aliasesDefaultAppliesWithoutAFile() throws IOException {
        Files.delete(config.resolve("org.mailhive.aliases.cfg"));
        Files.delete(config.resolve("aliases"));
        assertEquals(1, run());
        assertEquals(List.of("error: org.mailhive.aliases.cfg: alias_maps: " + config + "/aliases does not exist"), lines());
    }

    @Test
    void passwdLinesThatDoNotParse() throws IOException {
        Fixtures.write(config.resolve("users"), "# ok", "alice@localhost:{PLAIN}x", "nocolon", ":empty", "bad user:x",
                "carol@localhost:{SHA512-CRYPTnoclose");
        assertEquals(1, run());
        String f = config.resolve("users").toString();
        assertEquals(List.of(
                "error: org.mailhive.users.cfg: passwd_file: " + f + ":3: no ':' (expected user:password[:uid:gid:gecos:home:shell:extra])",
                "error: org.mailhive.users.cfg: passwd_file: " + f + ":4: empty user name",
                "error: org.mailhive.users.cfg: passwd_file: " + f + ":5: white space in user name \"bad user\"",
                "error: org.mailhive.users.cfg: passwd_file: " + f + ":6: password scheme without closing '}'"), lines());
    }

    @Test
    void directoryPermissions() throws IOException {
        Path queue = Files.createDirectories(data.resolve("queue"));
        Path incoming = Files.createDirectories(queue.resolve("incoming"));
        Path maildrop = Files.createDirectories(queue.resolve("maildrop"));
        Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(incoming, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(maildrop, "unix:mode", 01733);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, run());
        assertEquals(List.of(
                "warning: org.mailhive.queue.cfg: queue_directory: " + incoming + " is group or world writable (mode 0777)",
                "warning: mailhive.config: " + config + " is world-writable (mode 0777)"), lines());

        out.reset();
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(incoming, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(maildrop, "unix:mode", 0733);
        assertEquals(0, run());
        assertEquals(List.of("warning: org.mailhive.queue.cfg: queue_directory: " + maildrop
                + " is world-writable without the sticky bit (mode 0733; expected 1733)"), lines());
    }

    @Test
    void aPlainPidWrittenAsAFactoryFile() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core-extra.cfg"), "myhostname = x");
        assertEquals(1, run());
        assertEquals(List.of("error: org.mailhive.core-extra.cfg: org.mailhive.core is not a factory PID:"
                + " name the file org.mailhive.core.cfg"), lines());
    }

    @Test
    void missingDataDirectoryIsAnError() throws IOException {
        Files.delete(data);
        assertEquals(1, run());
        assertEquals(List.of("error: mailhive.data: " + data + " does not exist"), lines());
    }

    @Test
    void usage() {
        assertEquals(2, new CheckCommand(new PrintStream(out), new PrintStream(err), Map.of()).run("extra"));
    }
}
