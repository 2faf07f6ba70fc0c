package org.mailhive.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * System users mode in the running server: an account of a (fixture) passwd file receives mail
 * over SMTP into a Maildir in its home that belongs to its uid, and logs in over POP3 with the
 * password of its shadow entry. Needs the server running as root, as it does here and in CI.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SystemUsersIT {

    private static final int UID = 54321;
    private static final int GID = 54322;
    private static final String PASSWORD = "sys-Secret-7";
    /** openssl passwd -6 -salt itestfixture sys-Secret-7 */
    private static final String SHA512_CRYPT =
            "$6$itestfixture$ts7uZWjWLtCscn//8H7yQJDB3J0cE4a14LqZ5zn9w.LaQyBZBe0E/k/UwQGR9PsWTDV7GWKJj.CMYMN02b2541";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("sysusers");
    }

    private int port(String listener) throws Exception {
        return MailhiveOptions.listenerPort(context, listener);
    }

    private Path configDir() {
        return Paths.get(context.getProperty("mailhive.config"));
    }

    @Test
    public void aSystemUserGetsMailOwnedByItsUidAndReadsItOverPop3() throws Exception {
        Path homes = Files.createDirectories(configDir().resolveSibling("homes"));
        Path home = Files.createDirectory(homes.resolve("sysuser"));
        Files.setAttribute(home, "unix:uid", UID);
        Files.setAttribute(home, "unix:gid", GID);
        Path passwd = configDir().resolve("sys-passwd");
        Path shadow = configDir().resolve("sys-shadow");
        Files.write(passwd, List.of("root:x:0:0:root:/root:/bin/bash",
                "sysuser:x:" + UID + ":" + GID + ":System User,,,:" + home + ":/bin/sh"), StandardCharsets.UTF_8);
        Files.write(shadow, List.of("root:" + SHA512_CRYPT + ":19000:0:99999:7:::",
                "sysuser:" + SHA512_CRYPT + ":19000:0:99999:7:::"), StandardCharsets.UTF_8);
        Path usersCfg = configDir().resolve("org.mailhive.users.cfg");
        CfgFiles.set(usersCfg, "system_passwd", passwd.toString());
        CfgFiles.set(usersCfg, "system_shadow", shadow.toString());
        CfgFiles.set(usersCfg, "system_users", "yes");

        // the recipient is unknown until FileInstall has applied the edit
        Await.until("sysuser@localhost accepted and queued", () -> send("sysusers-token"));
        Path maildirNew = home.resolve("Maildir/new");
        Path[] file = new Path[1];
        Await.until("delivered to the Maildir in the home", () -> (file[0] = findIn(maildirNew, "sysusers-token")) != null);
        assertEquals(UID, Files.getAttribute(file[0], "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(GID, Files.getAttribute(file[0], "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(UID, Files.getAttribute(home.resolve("Maildir"), "unix:uid", LinkOption.NOFOLLOW_LINKS));

        byte[] onDisk = Files.readAllBytes(file[0]);
        try (Pop3Client c = Pop3Client.connect(port("pop3"))) {
            assertTrue(c.line().startsWith("+OK"));
            assertTrue(c.command("USER sysuser").startsWith("+OK"));
            String denied = c.command("PASS wrong-password");
            assertTrue(denied, denied.startsWith("-ERR"));
        }
        try (Pop3Client c = Pop3Client.connect(port("pop3"))) {
            assertTrue(c.line().startsWith("+OK"));
            assertTrue(c.command("USER sysuser").startsWith("+OK"));
            String pass = c.command("PASS " + PASSWORD);
            assertTrue(pass, pass.startsWith("+OK"));
            String stat = c.command("STAT");
            assertTrue(stat, stat.startsWith("+OK 1 "));
            assertTrue(c.command("RETR 1").startsWith("+OK"));
            byte[] retrieved = c.multiline();
            byte[] expected = new String(onDisk, StandardCharsets.ISO_8859_1).replace("\n", "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(expected, retrieved);
            assertTrue(c.command("QUIT").startsWith("+OK"));
        }
        // what POP3 wrote for the mailbox (its index) is the user's as well
        try (Stream<Path> all = Files.walk(home.resolve("Maildir"))) {
            for (Path p : all.collect(Collectors.toList())) {
                assertEquals(p.toString(), UID, Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    /** True once the server accepted and queued the message; false while the recipient is still unknown. */
    private boolean send(String subject) throws Exception {
        try (SmtpClient c = SmtpClient.connect(port("mta"))) {
            assertTrue(c.readReply().startsWith("220 "));
            c.command("EHLO itest.example");
            assertTrue(c.command("MAIL FROM:<bob@localhost>").startsWith("250 "));
            String rcpt = c.command("RCPT TO:<sysuser@localhost>");
            if (!rcpt.startsWith("250 ")) return false;
            assertTrue(c.command("DATA").startsWith("354 "));
            String r = c.command("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n.");
            assertTrue(r, r.startsWith("250 2.0.0"));
            return true;
        }
    }

    private static Path findIn(Path dir, String token) throws Exception {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.collect(Collectors.toList())) {
                if (new String(Files.readAllBytes(p), StandardCharsets.UTF_8).contains(token)) return p;
            }
        }
        return null;
    }

}
