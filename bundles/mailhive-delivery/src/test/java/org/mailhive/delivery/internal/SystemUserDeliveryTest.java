package org.mailhive.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.aliases.AliasExpander;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.mailhive.store.maildir.internal.MaildirStore;

/** System users: a user with a uid owns its mailbox files, and its commands and files run and are written as it. */
class SystemUserDeliveryTest {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path data;

    private final Map<String, MailUser> directory = new HashMap<>();
    private final UserDirectory users = name -> Optional.ofNullable(directory.get(name.toLowerCase(Locale.ROOT)));
    private final Map<String, List<AliasTarget>> forwards = new HashMap<>();
    private final AliasExpander aliases = new AliasExpander() {
        @Override
        public Optional<List<AliasTarget>> expand(MailAddress recipient) {
            return Optional.ofNullable(forwards.get(recipient.lookupKey()));
        }

        @Override
        public boolean isAlias(MailAddress recipient) {
            return forwards.containsKey(recipient.lookupKey());
        }
    };
    private LocalDelivery agent;
    private Path home;
    private MailUser sysuser;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(uid(Path.of("/proc/self")) == 0 && Files.isExecutable(SETPRIV),
                "giving files away and switching uid need root and setpriv (this machine and CI have both)");
        // the user's processes must be able to reach its home below the test directory
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(Files.createDirectories(data.resolve("home")),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        home = Files.createDirectory(data.resolve("home/sysuser"));
        Files.setAttribute(home, "unix:uid", 54321);
        Files.setAttribute(home, "unix:gid", 54322);
        sysuser = new MailUser("sysuser", home.toString(), Map.of("uid", "54321", "gid", "54322",
                "mail", "maildir:~/Maildir"));
        directory.put("sysuser@localhost", sysuser);
        agent = new LocalDelivery();
        agent.setUsers(users);
        agent.setAliases(aliases);
        agent.apply(data.toString(), Map.of());
        agent.bindStore(new MaildirStore(), Map.of(MailboxStore.FORMAT, "maildir", "service.id", 1L));
        agent.setPrivileges(CommandPrivileges.system());
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int gid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private RecipientResult deliver(String rcpt) {
        return agent.deliver(Fixtures.request(rcpt, Fixtures.message("sys"))).get(0);
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.toList());
        }
    }

    @Test
    void theMailboxLocationCarriesTheUsersUidAndGid() throws IOException {
        MailboxLocation where = agent.locate(sysuser).orElseThrow();
        assertEquals(Optional.of(new MailboxLocation.Owner(54321, 54322)), where.owner());
        assertEquals(home.resolve("Maildir").toString(), where.root());

        RecipientResult r = deliver("sysuser@localhost");
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        List<Path> delivered = files(home.resolve("Maildir/new"));
        assertEquals(1, delivered.size());
        assertEquals("54321:54322", uid(delivered.get(0)) + ":" + gid(delivered.get(0)));
        assertEquals("54321:54322", uid(home.resolve("Maildir")) + ":" + gid(home.resolve("Maildir")));
    }

    @Test
    void uidZeroAndANonRootServerGiveNoOwner() {
        MailUser rootish = new MailUser("toor", home.toString(), Map.of("uid", "0", "gid", "0"));
        assertTrue(agent.locate(rootish).orElseThrow().owner().isEmpty(), "root is never switched to");
        agent.setPrivileges(new CommandPrivileges(false, Optional.of(SETPRIV), Path.of("/etc/passwd")));
        assertTrue(agent.locate(sysuser).orElseThrow().owner().isEmpty(), "not root: files stay the server's");
    }

    @Test
    void aMissingHomeDefersAndIsNotCreated() {
        Path ghost = data.resolve("home/ghost");
        directory.put("ghost@localhost", new MailUser("ghost", ghost.toString(), Map.of("uid", "54400", "gid", "100",
                "mail", "maildir:~/Maildir")));
        RecipientResult r = deliver("ghost@localhost");
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals("4.2.0", r.dsn().toString());
        assertTrue(r.reason().startsWith("home directory missing: " + ghost), r.reason());
        assertFalse(Files.exists(ghost));
    }

    @Test
    void theMailboxCommandRunsAsTheUser() throws IOException {
        Path ids = home.resolve("ids");
        agent.apply(data.toString(), Map.of("mailbox_command", "echo $(id -u) $(id -g) $(id -G) > '" + ids + "'"));
        RecipientResult r = deliver("sysuser@localhost");
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        assertEquals("54321 54322 54322", Files.readString(ids).strip());
        assertEquals(54321, uid(ids));
    }

    @Test
    void commandsAndFilesOfTheUsersForwardRunAndAreWrittenAsTheUser() throws IOException {
        Path cmdIds = home.resolve("cmd.ids");
        Path saved = home.resolve("saved.mbox");
        forwards.put("sysuser@localhost", List.of(
                new AliasTarget.Command("id -u > '" + cmdIds + "'", AliasTarget.FORWARD, "sysuser"),
                new AliasTarget.File(saved.toString(), AliasTarget.FORWARD, "sysuser")));
        RecipientResult r = deliver("sysuser@localhost");
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        assertEquals("54321", Files.readString(cmdIds).strip());
        assertEquals("54321:54322", uid(saved) + ":" + gid(saved));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        String mbox = Files.readString(saved);
        assertTrue(mbox.startsWith("From bob@example.net "), mbox);
        assertTrue(mbox.contains("\nDelivered-To: sysuser@localhost\n") && mbox.contains("\n>From the start of a line\n")
                && mbox.endsWith("last line\n\n"), mbox);

        forwards.put("sysuser@localhost", List.of(new AliasTarget.File(saved.toString(), AliasTarget.FORWARD, "sysuser")));
        assertEquals(DeliveryStatus.SENT, deliver("sysuser@localhost").status());
        assertEquals(2, Files.readAllLines(saved).stream().filter(l -> l.startsWith("From bob@example.net ")).count());
        assertFalse(Files.readString(saved).contains("last line\n\n\nFrom "), "no second empty line between messages");
    }

    @Test
    void aFileWithoutAFinalEmptyLineGetsOneBeforeTheFromLine() throws IOException {
        Path old = home.resolve("old.mbox");
        Files.writeString(old, "From a@b Wed Nov  4 05:13:52 2026\n\nbody\n");
        Files.setAttribute(old, "unix:uid", 54321);
        forwards.put("sysuser@localhost", List.of(new AliasTarget.File(old.toString(), AliasTarget.FORWARD, "sysuser")));
        RecipientResult r = deliver("sysuser@localhost");
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        assertTrue(Files.readString(old).startsWith("From a@b Wed Nov  4 05:13:52 2026\n\nbody\n\nFrom bob@example.net "),
                Files.readString(old));
    }

    @Test
    void aFileTheUserMayNotWriteIsNotWrittenByRootForIt() throws IOException {
        Path protectedFile = data.resolve("root-only.mbox");
        forwards.put("sysuser@localhost", List.of(new AliasTarget.File(protectedFile.toString(), AliasTarget.FORWARD,
                "sysuser")));
        RecipientResult r = deliver("sysuser@localhost");
        assertEquals(DeliveryStatus.DEFERRED, r.status(), r.reason());
        assertFalse(Files.exists(protectedFile));
    }
}
