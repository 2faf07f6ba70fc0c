package org.mailhive.store.mbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;

/** System users: what the store creates for a location with an owner belongs to that uid:gid. */
class MboxOwnershipTest {

    private static final int UID = 54321;
    private static final int GID = 54322;
    private static final int MAIL_GROUP = 8;
    private static final MailboxLocation.Owner OWNER = new MailboxLocation.Owner(UID, GID);

    @TempDir
    Path dir;

    private Path home;
    private final MboxStore store = TestMessages.store();

    @BeforeEach
    void home() throws IOException {
        assumeTrue(uid(Path.of("/proc/self")) == 0, "giving files to another uid needs root (this machine and CI run as root)");
        home = Files.createDirectories(dir.resolve("home/sysuser"));
        Files.setAttribute(home, "unix:uid", UID);
        Files.setAttribute(home, "unix:gid", GID);
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int gid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private MailboxLocation inHome() {
        return MailboxLocation.parse("mbox:" + home.resolve("mail") + ":INBOX=" + home.resolve("mbox")).withOwner(OWNER);
    }

    /** Entries under the home (not the home itself) that are not uid:gid with mode 0700/0600. */
    private List<String> foreignEntries() throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.filter(p -> !p.equals(home)).toList()) {
                String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
                if (uid(p) != UID || gid(p) != GID || !mode(p).equals(want)) {
                    bad.add(home.relativize(p) + " " + uid(p) + ":" + gid(p) + " " + mode(p));
                }
            }
        }
        return bad;
    }

    @Test
    void mboxFilesFoldersIndexAndSubscriptionsBelongToTheOwner() throws Exception {
        store.append(inHome(), MailboxStore.INBOX, TestMessages.simple("one"), Set.of(), null);
        store.append(inHome(), "Lists/Work", TestMessages.simple("two"), Set.of(), null);
        try (Mailbox mb = store.open(inHome())) {
            mb.createFolder("Archive");
            mb.subscribe("Archive", true);
            try (Folder inbox = mb.folder(MailboxStore.INBOX)) {
                long uid = inbox.messages().get(0).uid();
                inbox.setFlags(List.of(uid), Set.of("\\Seen"), FlagMode.ADD);
                inbox.copyTo(List.of(uid), "Archive");
            }
        }
        assertTrue(Files.isRegularFile(home.resolve("mbox")));
        assertTrue(Files.isRegularFile(UidIndex.pathFor(home.resolve("mbox"))), "the index sidecar exists");
        assertTrue(Files.isRegularFile(home.resolve("mail/Lists/Work")));
        assertTrue(Files.isRegularFile(home.resolve("mail/.subscriptions")));
        assertEquals(List.of(), foreignEntries());
        try (Stream<Path> s = Files.list(home)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("mailhive-new")), "no temporary left");
        }
    }

    @Test
    void anInboxInASharedSpoolIsTheUsersWithTheSpoolsGroup() throws IOException {
        Path spool = Files.createDirectories(dir.resolve("var/mail"));
        Files.setAttribute(spool, "unix:gid", MAIL_GROUP);
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxr-x"));
        MailboxLocation loc = MailboxLocation.parse("mbox:" + home.resolve("mail") + ":INBOX=" + spool.resolve("sysuser"))
                .withOwner(OWNER);
        store.append(loc, MailboxStore.INBOX, TestMessages.simple("spooled"), Set.of(), null);
        Path inbox = spool.resolve("sysuser");
        assertEquals(UID + ":" + MAIL_GROUP + " rw-rw----", uid(inbox) + ":" + gid(inbox) + " " + mode(inbox));
        assertTrue(Files.readString(inbox).contains("Subject: spooled"));

        Path rootSpool = Files.createDirectories(dir.resolve("var/spool/mail"));
        MailboxLocation loc2 = MailboxLocation.parse("mbox:" + home.resolve("mail") + ":INBOX="
                + rootSpool.resolve("sysuser")).withOwner(OWNER);
        store.append(loc2, MailboxStore.INBOX, TestMessages.simple("root group"), Set.of(), null);
        Path inbox2 = rootSpool.resolve("sysuser");
        assertEquals(UID + ":" + GID + " rw-------", uid(inbox2) + ":" + gid(inbox2) + " " + mode(inbox2));
    }

    @Test
    void aMissingHomeIsNotCreated() {
        Path ghost = dir.resolve("home/ghost");
        MailboxLocation loc = MailboxLocation.parse("mbox:" + ghost.resolve("mail") + ":INBOX=" + ghost.resolve("mbox"))
                .withOwner(OWNER);
        IOException e = assertThrows(IOException.class,
                () -> store.append(loc, MailboxStore.INBOX, TestMessages.simple("lost"), Set.of(), null));
        assertTrue(e.getMessage().contains("home directory missing"), e.getMessage());
        assertFalse(Files.exists(ghost));
    }

    @Test
    void withoutAnOwnerTheFileIsTheServers() throws IOException {
        store.append(TestMessages.location(dir), MailboxStore.INBOX, TestMessages.simple("plain"), Set.of(), null);
        Path inbox = dir.resolve("spool/alice");
        assertEquals("0:0 rw-------", uid(inbox) + ":" + gid(inbox) + " " + mode(inbox));
    }
}
