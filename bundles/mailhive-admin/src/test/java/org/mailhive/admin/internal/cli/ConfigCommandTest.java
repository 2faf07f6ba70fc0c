package org.mailhive.admin.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.admin.internal.Fixtures;

class ConfigCommandTest {

    @TempDir
    Path tmp;
    Path config;
    Path bundles;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        config = tmp.resolve("config");
        bundles = Fixtures.bundleDir(tmp);
        // equal to the defaults, but spelled differently: -n must not show any of it
        Fixtures.write(config.resolve("org.mailhive.queue.cfg"),
                "# queue",
                "queue_directory =",
                "minimal_backoff_time = 5m",
                "maximal_queue_lifetime = 120h",
                "delivery_concurrency = 08",
                "delay_warning_time = 0");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-mta.cfg"),
                "port = 2525",
                "smtpd_banner = $myhostname ESMTP Mailhive",
                "smtpd_recipient_restrictions = permit_mynetworks,permit_sasl_authenticated,"
                        + " reject_unauth_destination, reject_unknown_recipient",
                "smtpd_reject_unlisted_recipient = yes",
                "message_size_limit = 50m");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2587");
        Fixtures.write(config.resolve("org.mailhive.aliases.cfg"), "alias_maps = ${mailhive.config}/aliases");
    }

    private int run(String... args) {
        List<String> a = new ArrayList<>(List.of("--config", config.toString(), "--bundles", bundles.toString()));
        a.addAll(List.of(args));
        return new ConfigCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(a.toArray(new String[0]));
    }

    private List<String> outLines() {
        String s = out.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void nonDefaultShowsExactlyTheOneChangedKey() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core.cfg"),
                "myhostname = mail.example.org",
                "myorigin = $myhostname",
                "mynetworks = 127.0.0.0/8,[::1]/128");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2587");
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2525");
        // the implied value of an empty default ("empty means ${mailhive.config}/users") is no change
        Fixtures.write(config.resolve("org.mailhive.users.cfg"), "passwd_file = ${mailhive.config}/users");
        assertEquals(0, run("-n"));
        assertEquals(List.of("org.mailhive.core/myhostname = mail.example.org"), outLines());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nonDefaultMarksUnknownKeysAndShowsFilesWithoutMetatype() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.smtp.listener-submission.cfg"), "port = 2525");
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostnme = typo.example.org");
        Fixtures.write(config.resolve("org.apache.felix.fileinstall-deploy.cfg"), "felix.fileinstall.poll = 1000");
        assertEquals(0, run("-n"));
        assertEquals(List.of(
                "org.apache.felix.fileinstall-deploy/felix.fileinstall.poll = 1000",
                "org.mailhive.core/myhostnme = typo.example.org    # warning: unknown parameter"), outLines());
    }

    @Test
    void allParametersGroupedByConfigurationWithEffectiveValues() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostname = mail.example.org");
        assertEquals(0, run());
        List<String> lines = outLines();
        int core = lines.indexOf("# org.mailhive.core (org.mailhive.core.cfg)");
        assertTrue(core >= 0, lines.toString());
        assertEquals("myhostname = mail.example.org", lines.get(core + 1));
        assertEquals("mydomain = ", lines.get(core + 2));
        assertEquals("myorigin = $myhostname", lines.get(core + 3));
        int mta = lines.indexOf("# org.mailhive.smtp.listener-mta (org.mailhive.smtp.listener-mta.cfg)");
        assertTrue(mta >= 0);
        assertEquals("name = ", lines.get(mta + 1));
        assertEquals("port = 2525", lines.get(mta + 2));
        assertTrue(lines.contains("# org.mailhive.smtp.listener-submission (org.mailhive.smtp.listener-submission.cfg)"));
        assertTrue(lines.contains("port = 2587"));
        // no file: the PID's defaults are in force all the same
        assertTrue(lines.contains("# org.mailhive.tls (no file)"));
        assertTrue(lines.contains("ssl_keystore_type = PKCS12"));
    }

    @Test
    void defaultsIgnoreTheFiles() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostname = mail.example.org", "myorigin = other");
        assertEquals(0, run("-d"));
        List<String> lines = outLines();
        assertTrue(lines.contains("# org.mailhive.core (defaults)"));
        assertTrue(lines.contains("# org.mailhive.smtp.listener (factory defaults)"));
        assertTrue(lines.contains("myorigin = $myhostname"));
        assertFalse(lines.contains("myorigin = other"));
        out.reset();
        assertEquals(0, run("-d", "myhostname"));
        assertEquals(List.of("myhostname = "), outLines());
    }

    @Test
    void oneKeyUnqualifiedOrQualifiedAndAmbiguous() throws IOException {
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostname = mail.example.org");
        assertEquals(0, run("myhostname"));
        assertEquals(List.of("myhostname = mail.example.org"), outLines());

        out.reset();
        assertEquals(0, run("port"));
        assertEquals(List.of("org.mailhive.smtp.listener-mta/port = 2525",
                "org.mailhive.smtp.listener-submission/port = 2587"), outLines());

        out.reset();
        assertEquals(0, run("org.mailhive.smtp.listener~submission/port", "org.mailhive.core/myorigin"));
        assertEquals(List.of("port = 2587", "myorigin = $myhostname"), outLines());

        out.reset();
        assertEquals(0, run("-n", "port"));
        assertEquals(List.of("org.mailhive.smtp.listener-submission/port = 2587"), outLines());
    }

    @Test
    void unknownKeyIsAWarningAndExitOne() {
        assertEquals(1, run("myhostname", "no_such_thing"));
        assertEquals("mailhive config: warning: no_such_thing: unknown parameter\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("myhostname = "), outLines());
    }

    @Test
    void expandShowsSubstitutedValues() {
        assertEquals(0, run("-x", "alias_maps"));
        assertEquals(List.of("alias_maps = " + config.toAbsolutePath() + "/aliases"), outLines());
    }

    @Test
    void usageErrors() {
        assertEquals(2, run("-q"));
        assertEquals(2, run("-d", "-n"));
        assertEquals(2, new ConfigCommand(new PrintStream(out), new PrintStream(err), Map.of()).run());
    }
}
