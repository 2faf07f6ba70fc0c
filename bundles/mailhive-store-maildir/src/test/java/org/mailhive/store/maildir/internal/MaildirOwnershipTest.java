package org.mailhive.store.maildir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;

/** System users: what the store creates for a location with an owner belongs to that uid:gid. */
class MaildirOwnershipTest {

    private static final int UID = 54321;
    private static final int GID = 54322;
    private static final MailboxLocation.Owner OWNER = new MailboxLocation.Owner(UID, GID);

    @TempDir
    Path tmp;

    /** Every rename, with the owner its source had at that moment: nothing may appear as root's. */
    private final List<String> moves = Collections.synchronizedList(new ArrayList<>());

    private final DiskOps recording = new DiskOps() {
        @Override
        public void syncFile(Path file, FileChannel channel) throws IOException {
            channel.force(true);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            moves.add(target.getFileName() + " " + uid(source) + ":" + gid(source));
            PosixDiskOps.INSTANCE.move(source, target);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            PosixDiskOps.INSTANCE.syncDirectory(dir);
        }
    };

    private final Instant now = Instant.parse("2026-01-02T03:04:05Z");
    private final MaildirStore store = new MaildirStore(recording, new UniqueNames("mx.example.org", 42),
            Clock.fixed(now, ZoneOffset.UTC));
    private Path home;

    @BeforeEach
    void home() throws IOException {
        assumeTrue(uid(Path.of("/proc/self")) == 0, "giving files to another uid needs root (this machine and CI run as root)");
        home = Files.createDirectories(tmp.resolve("home/sysuser"));
        Files.setAttribute(home, "unix:uid", UID);
        Files.setAttribute(home, "unix:gid", GID);
    }

    private MailboxLocation location() {
        return new MailboxLocation("maildir", home.resolve("Maildir").toString(), Map.of()).withOwner(OWNER);
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static int gid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Every entry under the Maildir, each with its owner and mode. */
    private List<String> foreignEntries() throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> s = Files.walk(home.resolve("Maildir"))) {
            for (Path p : s.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
                if (uid(p) != UID || gid(p) != GID || !mode.equals(want)) {
                    bad.add(home.relativize(p) + " " + uid(p) + ":" + gid(p) + " " + mode);
                }
            }
        }
        return bad;
    }

    @Test
    void deliveryGivesEveryDirectoryAndFileToTheOwnerBeforeTheRename() throws IOException {
        store.append(location(), MailboxStore.INBOX, MaildirStoreTest.bytes("Subject: a\r\n\r\nA\r\n".getBytes(
                StandardCharsets.US_ASCII)), Set.of(), now);
        store.append(location(), MailboxStore.INBOX, MaildirStoreTest.bytes("Subject: b\r\n\r\nB\r\n".getBytes(
                StandardCharsets.US_ASCII)), Set.of("\\Seen", "$Important"), now);
        store.append(location(), "Lists/Work", MaildirStoreTest.bytes("Subject: c\r\n\r\nC\r\n".getBytes(
                StandardCharsets.US_ASCII)), Set.of(), now);

        Path maildir = home.resolve("Maildir");
        assertTrue(Files.isRegularFile(maildir.resolve(UidList.FILE)));
        assertTrue(Files.isRegularFile(maildir.resolve(Keywords.FILE)));
        assertTrue(Files.isRegularFile(maildir.resolve(HeaderCache.FILE)));
        assertTrue(Files.isRegularFile(maildir.resolve(".Lists.Work/maildirfolder")));
        assertEquals(1, Files.list(maildir.resolve("new")).count());
        assertEquals(1, Files.list(maildir.resolve("cur")).count());
        assertEquals(List.of(), foreignEntries());
        assertFalse(moves.isEmpty());
        for (String m : moves) assertTrue(m.endsWith(" " + UID + ":" + GID), "renamed into place as: " + m);
    }

    @Test
    void foldersSubscriptionsAndCopiesMadeByAReaderBelongToTheOwner() throws Exception {
        store.append(location(), MailboxStore.INBOX, MaildirStoreTest.bytes("Subject: a\r\n\r\nA\r\n".getBytes(
                StandardCharsets.US_ASCII)), Set.of(), now);
        try (Mailbox mb = store.open(location())) {
            mb.createFolder("Archive");
            mb.subscribe("Archive", true);
            Folder inbox = mb.folder(MailboxStore.INBOX);
            inbox.copyTo(List.of(inbox.messages().get(0).uid()), "Archive");
            inbox.setFlags(List.of(inbox.messages().get(0).uid()), Set.of("Later"), org.mailhive.api.store.FlagMode.ADD);
        }
        Path maildir = home.resolve("Maildir");
        assertTrue(Files.isRegularFile(maildir.resolve(MaildirMailbox.SUBSCRIPTIONS)));
        assertEquals(1, Files.list(maildir.resolve(".Archive/cur")).count() + Files.list(maildir.resolve(".Archive/new")).count());
        assertEquals(List.of(), foreignEntries());
    }

    @Test
    void aMissingHomeIsNotCreated() {
        Path ghost = tmp.resolve("home/ghost");
        MailboxLocation nowhere = new MailboxLocation("maildir", ghost.resolve("Maildir").toString(), Map.of())
                .withOwner(OWNER);
        IOException e = assertThrows(IOException.class, () -> store.append(nowhere, MailboxStore.INBOX,
                MaildirStoreTest.bytes("x\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), now));
        assertTrue(e.getMessage().contains("home directory missing"), e.getMessage());
        assertFalse(Files.exists(ghost));
    }

    @Test
    void withoutAnOwnerFilesStayTheServers() throws IOException {
        MailboxLocation plain = new MailboxLocation("maildir", tmp.resolve("plain/Maildir").toString(), Map.of());
        store.append(plain, MailboxStore.INBOX, MaildirStoreTest.bytes("x\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(), now);
        try (Stream<Path> s = Files.walk(tmp.resolve("plain"))) {
            for (Path p : s.toList()) assertEquals(0, uid(p), p.toString());
        }
    }

    private static org.mailhive.api.mail.MessageContent message(String text) {
        return MaildirStoreTest.bytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aLinkTheUserPutsInTheMaildirIsNotFollowedAsRoot() throws IOException {
        store.append(location(), MailboxStore.INBOX, message("a\r\n"), Set.of(), now);
        Path maildir = home.resolve("Maildir");
        // root's directory, which the user wants mail written into
        Path victim = Files.createDirectories(tmp.resolve("root-only"));
        Files.move(maildir.resolve("new"), maildir.resolve("new.moved"));
        Files.createSymbolicLink(maildir.resolve("new"), victim);
        IOException e = assertThrows(IOException.class,
                () -> store.append(location(), MailboxStore.INBOX, message("b\r\n"), Set.of(), now));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (Stream<Path> s = Files.list(victim)) {
            assertEquals(0, s.count(), "nothing written where the link points");
        }
    }

    @Test
    void anIndexReplacedByALinkIsNeitherWrittenThroughNorFatal() throws IOException {
        store.append(location(), MailboxStore.INBOX, message("a\r\n"), Set.of(), now);
        Path maildir = home.resolve("Maildir");
        Path victim = tmp.resolve("root-file");
        Files.writeString(victim, "root's\n");
        Files.delete(maildir.resolve(UidList.FILE));
        Files.createSymbolicLink(maildir.resolve(UidList.FILE), victim);
        // the index is not the one this store wrote: it is read (through the link: harmless), found
        // unusable, and a new one is written whole and renamed over the link, never through it;
        // appending in place (were the link to look like the old index) opens with O_NOFOLLOW
        store.append(location(), MailboxStore.INBOX, message("b\r\n"), Set.of(), now);
        assertEquals("root's\n", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(maildir.resolve(UidList.FILE)));
        assertEquals(UID, uid(maildir.resolve(UidList.FILE)));
    }

    @Test
    void aMaildirLinkedToTheUsersOwnDirectoryElsewhereIsUsed() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("disk2/sysuser-Maildir"));
        Files.setAttribute(elsewhere, "unix:uid", UID);
        Files.setAttribute(elsewhere, "unix:gid", GID);
        Files.createSymbolicLink(home.resolve("Maildir"), elsewhere);
        store.append(location(), MailboxStore.INBOX, message("a\r\n"), Set.of(), now);
        try (Stream<Path> s = Files.list(elsewhere.resolve("new"))) {
            assertEquals(1, s.count());
        }
    }
}
