package org.mailhive.users.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.users.MailUser;
import org.mailhive.users.internal.scheme.PasswordSchemes;

class SystemUsersTest {

    /** printed by doveadm pw -s BLF-CRYPT -p secret, as a shadow entry written by chpasswd -c BCRYPT has it */
    private static final String BCRYPT_SECRET = "$2y$05$/Ie14CdDdT2HX6J5WaoaDOLGrlfucM7ObM0wijdOSPGc0rEtC1twe";
    /** a hash of the form Debian 11+ writes by default (yescrypt); its value does not matter here */
    private static final String YESCRYPT = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o7TNOYi2zH/r7WE8yf8s5JHFCmJ8f3z9A";

    @TempDir
    Path dir;

    private PasswdFileUsers users;
    private Path passwd;
    private Path shadow;

    @BeforeEach
    void setUp() throws IOException {
        passwd = dir.resolve("passwd");
        shadow = dir.resolve("shadow");
        Files.writeString(dir.resolve("users"), "alice@example.org:{PLAIN}a:2001:2002::/srv/alice\n"
                + "bob@example.org:{PLAIN}b\n");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\n"
                + "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                + "sysuser:x:54321:54322:System User,,,:/home/sysuser:/bin/bash\n"
                + "sha256:x:54323:54323::/home/sha256:/bin/sh\n"
                + "md5:x:54324:54324::/home/md5:/bin/sh\n"
                + "blf:x:54325:54325::/home/blf:/bin/sh\n"
                + "locked:x:54326:54326::/home/locked:/bin/sh\n"
                + "star:x:54327:54327::/home/star:/bin/sh\n"
                + "empty:x:54328:54328::/home/empty:/bin/sh\n"
                + "yes:x:54329:54329::/home/yes:/bin/sh\n"
                + "high:x:70000:70000::/home/high:/bin/sh\n", StandardCharsets.UTF_8);
        String sha512 = Sha2Crypt.sha512Crypt("sesame".getBytes(StandardCharsets.UTF_8), "$6$fixturesalt");
        Files.writeString(shadow, "root:" + Sha2Crypt.sha512Crypt("sesame".getBytes(StandardCharsets.UTF_8))
                + ":19000:0:99999:7:::\n"
                + "sysuser:" + sha512 + ":19000:0:99999:7:::\n"
                + "sha256:" + Sha2Crypt.sha256Crypt("two56".getBytes(StandardCharsets.UTF_8), "$5$othersalt") + ":19000::::::\n"
                + "md5:" + Md5Crypt.md5Crypt("five".getBytes(StandardCharsets.UTF_8), "$1$md5salt") + ":19000::::::\n"
                + "blf:" + BCRYPT_SECRET + ":19000::::::\n"
                + "locked:!" + sha512 + ":19000::::::\n"
                + "star:*:19000::::::\n"
                + "empty::19000::::::\n"
                + "yes:" + YESCRYPT + ":19000::::::\n"
                + "high:" + sha512 + ":19000::::::\n", StandardCharsets.UTF_8);
        users = new PasswdFileUsers();
        users.setIdentity(identity(Set.of("localhost", "mail.example.net")));
        users.apply(dir.toString(), settings(Map.of()));
    }

    private Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(Map.of("system_users", "yes", "system_passwd", passwd.toString(),
                "system_shadow", shadow.toString()));
        m.putAll(extra);
        return m;
    }

    @Test
    void aBareLoginOrOneInMydestinationIsTheSystemUserWithUidGidHomeAndMailField() {
        MailUser u = users.lookup("sysuser").orElseThrow();
        assertEquals("sysuser", u.name());
        assertEquals("/home/sysuser", u.home());
        assertEquals(Map.of("uid", "54321", "gid", "54322", "mail", "maildir:~/Maildir"), u.fields());
        assertEquals(u, users.lookup("SysUser@LocalHost").orElseThrow());
        assertEquals(u, users.lookup("sysuser@mail.example.net").orElseThrow());
        assertTrue(users.lookup("sysuser@example.org").isEmpty(), "example.org is not mydestination");
    }

    @Test
    void withoutServerIdentityOnlyBareLoginsAreSystemUsers() {
        users.setIdentity(null);
        assertTrue(users.lookup("sysuser").isPresent());
        assertTrue(users.lookup("sysuser@localhost").isEmpty());
    }

    @Test
    void uidsOutsideTheValidRangeAreNoMailUsers() {
        assertTrue(users.lookup("root").isEmpty());
        assertTrue(users.lookup("daemon@localhost").isEmpty());
        assertTrue(users.lookup("high").isPresent());
        assertTrue(users.authenticate("root", "sesame".toCharArray()).isEmpty());
        users.apply(dir.toString(), settings(Map.of("last_valid_uid", "60000")));
        assertTrue(users.lookup("high").isEmpty());
        assertTrue(users.authenticate("high", "sesame".toCharArray()).isEmpty());
        assertTrue(users.lookup("sysuser").isPresent());
        users.apply(dir.toString(), settings(Map.of("first_valid_uid", "54322")));
        assertTrue(users.lookup("sysuser").isEmpty());
        assertTrue(users.lookup("high").isPresent());
    }

    @Test
    void offByDefault() {
        users.apply(dir.toString(), Map.of("system_passwd", passwd.toString()));
        assertTrue(users.lookup("sysuser").isEmpty());
        assertTrue(users.authenticate("sysuser", "sesame".toCharArray()).isEmpty());
    }

    @Test
    void theUsersFileWinsAndItsUidGidColumnsBecomeFields() {
        MailUser alice = users.lookup("alice@example.org").orElseThrow();
        assertEquals("2001", alice.field("uid", null));
        assertEquals("2002", alice.field("gid", null));
        assertFalse(users.lookup("bob@example.org").orElseThrow().fields().containsKey("uid"));
    }

    @Test
    void shadowHashesOfEveryCryptSchemeAuthenticate() {
        assertEquals("sysuser", users.authenticate("sysuser@localhost", "sesame".toCharArray()).orElseThrow().name());
        assertTrue(users.authenticate("sysuser", "Sesame".toCharArray()).isEmpty());
        assertTrue(users.authenticate("sha256", "two56".toCharArray()).isPresent());
        assertTrue(users.authenticate("sha256", "two57".toCharArray()).isEmpty());
        assertTrue(users.authenticate("md5", "five".toCharArray()).isPresent());
        assertTrue(users.authenticate("md5", "six".toCharArray()).isEmpty());
        assertTrue(users.authenticate("blf", "secret".toCharArray()).isPresent());
        assertTrue(users.authenticate("blf", "secreT".toCharArray()).isEmpty());
        assertTrue(users.authenticate("nosuchuser", "sesame".toCharArray()).isEmpty());
        assertTrue(users.authenticate("sysuser@example.org", "sesame".toCharArray()).isEmpty());
    }

    @Test
    void lockedAndEmptyPasswordsFailEvenWithTheRightPassword() {
        assertTrue(users.authenticate("locked", "sesame".toCharArray()).isEmpty());
        assertTrue(users.authenticate("star", "*".toCharArray()).isEmpty());
        assertTrue(users.authenticate("star", "".toCharArray()).isEmpty());
        assertTrue(users.authenticate("empty", "".toCharArray()).isEmpty());
        assertTrue(users.lookup("locked").isPresent(), "a locked account still receives mail");
    }

    @Test
    void yescryptIsCheckedByTheSystemHelperWithThePasswordOnStandardInput() throws Exception {
        // stands in for unix_chkpwd: records its arguments and input, says yes to one password
        Path helper = dir.resolve("chkpwd");
        Path seen = dir.resolve("seen");
        Files.writeString(helper, "#!/bin/sh\n"
                + "echo \"$1 $2\" > '" + seen + ".args'\n"
                + "cat > '" + seen + ".stdin'\n"
                + "[ \"$(tr -d '\\000' < '" + seen + ".stdin')\" = 'Gr\u00fcn 42' ] && exit 0\n"
                + "exit 7\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(helper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        SystemUsers sys = new SystemUsers(PasswdFileUsers.systemOptions(new org.mailhive.api.config.Settings(
                settings(Map.of()))), PasswordSchemes.standard(), new SystemCrypt(helper, shadow));
        assertEquals("yes", sys.authenticate("yes", "Gr\u00fcn 42".toCharArray()).orElseThrow().name());
        assertEquals("yes nonull", Files.readString(dir.resolve("seen.args")).strip());
        assertArrayEquals("Gr\u00fcn 42\0".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("seen.stdin")));
        assertTrue(sys.authenticate("yes", "wrong".toCharArray()).isEmpty());
        assertTrue(sys.authenticate("yes", "Gr\u00fcn 42\u0000".toCharArray()).isEmpty(), "a NUL would cut the password");
        // only for hashes Java lacks, and never for a locked or unknown account
        Files.delete(dir.resolve("seen.args"));
        assertEquals("sysuser", sys.authenticate("sysuser", "sesame".toCharArray()).orElseThrow().name());
        assertTrue(sys.authenticate("locked", "sesame".toCharArray()).isEmpty());
        assertTrue(sys.authenticate("nobody-here", "Gr\u00fcn 42".toCharArray()).isEmpty());
        assertFalse(Files.exists(dir.resolve("seen.args")), "the helper ran for a hash Java verifies itself");
        assertEquals(Set.of(), sys.warned());
        // the helper reads the system's shadow: for any other file it cannot speak
        SystemUsers other = new SystemUsers(PasswdFileUsers.systemOptions(new org.mailhive.api.config.Settings(
                settings(Map.of()))), PasswordSchemes.standard(), new SystemCrypt(helper, dir.resolve("other-shadow")));
        assertTrue(other.authenticate("yes", "Gr\u00fcn 42".toCharArray()).isEmpty());
        assertEquals(Set.of("yes"), other.warned());
    }

    @Test
    void yescryptFailsAndIsReportedOncePerUserWithoutTheHelper() {
        SystemUsers sys = new SystemUsers(PasswdFileUsers.systemOptions(new org.mailhive.api.config.Settings(
                settings(Map.of()))), PasswordSchemes.standard(), new SystemCrypt(dir.resolve("no-helper"), shadow));
        assertTrue(sys.authenticate("yes", "secret".toCharArray()).isEmpty());
        assertTrue(sys.authenticate("yes", "secret".toCharArray()).isEmpty());
        assertTrue(sys.authenticate("locked", "sesame".toCharArray()).isEmpty());
        assertEquals(Set.of("yes"), sys.warned());
        assertEquals("yescrypt ($y$)", SystemUsers.schemeName(YESCRYPT));
        assertEquals("DES crypt", SystemUsers.schemeName("abJnggxhB/yWI"));
    }

    @Test
    void anEditedPasswdIsSeenByTheNextLookup() throws IOException {
        assertTrue(users.lookup("newbie").isEmpty());
        Files.writeString(passwd, "newbie:x:54400:100::/home/newbie:/bin/sh\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals("54400", users.lookup("newbie@localhost").orElseThrow().field("uid", null));
    }

    @Test
    void emptySystemMailLocationLeavesTheDeliveryDefaultAndBadValuesKeepThePrevious() {
        users.apply(dir.toString(), settings(Map.of("system_mail_location", "")));
        assertFalse(users.lookup("sysuser").orElseThrow().fields().containsKey("mail"));
        users.apply(dir.toString(), settings(Map.of("system_mail_location", "mbox:~/mail:INBOX=/var/mail/%n")));
        assertEquals("mbox:~/mail:INBOX=/var/mail/%n", users.lookup("sysuser").orElseThrow().field("mail", null));
        users.apply(dir.toString(), settings(Map.of("system_passwd", "relative/passwd")));
        assertTrue(users.lookup("sysuser").isPresent(), "a bad value keeps the previous configuration");
        users.apply(dir.toString(), settings(Map.of("first_valid_uid", "60000", "last_valid_uid", "50000")));
        assertTrue(users.lookup("sysuser").isPresent());
    }

    private static ServerIdentity identity(Set<String> destinations) {
        return new ServerIdentity() {
            @Override
            public String myhostname() {
                return "mail.example.net";
            }

            @Override
            public String mydomain() {
                return "example.net";
            }

            @Override
            public String myorigin() {
                return "example.net";
            }

            @Override
            public Set<String> mydestination() {
                return destinations;
            }

            @Override
            public boolean isMyDestination(String domain) {
                return destinations.contains(domain);
            }

            @Override
            public List<String> mynetworks() {
                return List.of("127.0.0.0/8");
            }

            @Override
            public boolean inMynetworks(InetAddress client) {
                return client.isLoopbackAddress();
            }

            @Override
            public String expand(String value) {
                return value;
            }
        };
    }
}
