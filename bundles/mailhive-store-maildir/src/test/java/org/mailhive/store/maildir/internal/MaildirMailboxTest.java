package org.mailhive.store.maildir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.FolderInfo;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MessageInfo;

class MaildirMailboxTest {

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("alice/Maildir");
    }

    private MailboxLocation location() {
        return new MailboxLocation("maildir", root().toString(), Map.of());
    }

    private static byte[] msg(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] read(Folder f, long uid) throws IOException {
        try (InputStream in = f.open(uid)) {
            return in.readAllBytes();
        }
    }

    private static List<Long> uids(Folder f) throws IOException {
        return f.messages().stream().map(MessageInfo::uid).toList();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void uidsAndUidValiditySurviveANewStoreInstance() throws IOException {
        MaildirStore first = new MaildirStore();
        long validity;
        try (Mailbox mb = first.open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals(1, inbox.append(MaildirStoreTest.bytes(msg("Subject: a\r\n\r\na\r\n")), Set.of(), null));
            first.append(location(), "INBOX", MaildirStoreTest.bytes(msg("Subject: b\r\n\r\nb\r\n")), Set.of(), null);
            assertEquals(List.of(1L, 2L), uids(inbox));
            validity = inbox.uidValidity();
            assertEquals(3, inbox.uidNext());
        }
        String index = Files.readString(root().resolve("dovecot-uidlist"));
        // the index was created when the folder was opened; both messages were appended to it, so
        // its header keeps the N it had then, and readers take the last UID + 1
        assertTrue(index.startsWith("3 V" + validity + " N1\n1 :"), index);
        assertTrue(index.contains("\n2 :"), index);
        assertEquals(3, UidList.read(root()).nextUid());

        MaildirStore restarted = new MaildirStore();
        try (Mailbox mb = restarted.open(location()); Folder inbox = mb.folder("inbox")) {
            assertEquals("INBOX", inbox.name());
            assertEquals(validity, inbox.uidValidity());
            assertEquals(List.of(1L, 2L), uids(inbox));
            assertArrayEquals(msg("Subject: b\r\n\r\nb\r\n"), read(inbox, 2));
            inbox.delete(List.of(2L));
            assertEquals(3, inbox.append(MaildirStoreTest.bytes(msg("c\r\n")), Set.of(), null),
                    "a deleted UID is never given again");
        }
    }

    @Test
    void twentyConcurrentAppendsGetDistinctIncreasingUids() throws Exception {
        MaildirStore store = new MaildirStore();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> futures = new ArrayList<>();
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            for (int i = 0; i < 20; i++) {
                byte[] body = msg("Subject: " + i + "\r\n\r\nbody " + i + "\r\n");
                boolean viaStore = i % 2 == 0;
                futures.add(pool.submit(() -> {
                    start.await();
                    if (viaStore) {
                        store.append(location(), "INBOX", MaildirStoreTest.bytes(body), Set.of(), null);
                        return -1L;
                    }
                    return inbox.append(MaildirStoreTest.bytes(body), Set.of(), null);
                }));
            }
            start.countDown();
            List<Long> returned = new ArrayList<>();
            for (Future<Long> f : futures) {
                long uid = f.get();
                if (uid > 0) returned.add(uid);
            }
            assertEquals(10, Set.copyOf(returned).size());
            List<Long> listed = uids(inbox);
            assertEquals(20, listed.size());
            List<Long> expected = new ArrayList<>();
            for (long u = 1; u <= 20; u++) expected.add(u);
            assertEquals(expected, listed);
            assertTrue(listed.containsAll(returned));
            List<String> bodies = new ArrayList<>();
            for (long uid : listed) bodies.add(new String(read(inbox, uid), StandardCharsets.US_ASCII));
            assertEquals(20, Set.copyOf(bodies).size());
        } finally {
            pool.shutdownNow();
        }
        String[] lines = Files.readString(root().resolve("dovecot-uidlist")).split("\n");
        assertEquals(21, lines.length);
        assertTrue(lines[20].startsWith("20 :"), lines[20]);
        assertEquals(21, UidList.read(root()).nextUid());
        assertEquals(List.of(), names(root().resolve("tmp")));
        assertFalse(Files.exists(root().resolve("dovecot-uidlist.lock")));
    }

    @Test
    void flagsAndKeywordsRoundTrip() throws IOException {
        MaildirStore store = new MaildirStore();
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            long a = inbox.append(MaildirStoreTest.bytes(msg("a\r\n")), Set.of(), null);
            long b = inbox.append(MaildirStoreTest.bytes(msg("b\r\n")), Set.of("\\Flagged", "work"), null);
            assertEquals(1, names(root().resolve("new")).size(), "no flags: stays in new/");

            inbox.setFlags(List.of(a, b), Set.of("\\Seen", "$Junk"), FlagMode.ADD);
            inbox.setFlags(List.of(b), Set.of("\\Flagged"), FlagMode.REMOVE);
            inbox.setFlags(List.of(99L), Set.of("\\Seen"), FlagMode.ADD);
            List<MessageInfo> m = inbox.messages();
            assertEquals(Set.of("\\Seen", "$Junk"), m.get(0).flags());
            assertEquals(Set.of("\\Seen", "$Junk", "work"), m.get(1).flags());
            assertEquals(List.of(), names(root().resolve("new")), "flag change moves new -> cur");
            assertEquals("0 work\n1 $Junk\n", Files.readString(root().resolve("dovecot-keywords")));
            List<String> cur = names(root().resolve("cur"));
            assertTrue(cur.stream().anyMatch(n -> n.endsWith(":2,Sb")), cur.toString());
            assertTrue(cur.stream().anyMatch(n -> n.endsWith(":2,Sab")), cur.toString());

            inbox.setFlags(List.of(a), Set.of("\\Answered", "\\Draft"), FlagMode.REPLACE);
            assertEquals(Set.of("\\Answered", "\\Draft"), inbox.messages().get(0).flags());
            inbox.setFlags(List.of(a), Set.of(), FlagMode.REPLACE);
            assertEquals(Set.of(), inbox.messages().get(0).flags());
            assertTrue(names(root().resolve("cur")).stream().anyMatch(n -> n.endsWith(":2,")));
        }
        try (Mailbox mb = new MaildirStore().open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals(Set.of("\\Seen", "$Junk", "work"), inbox.messages().get(1).flags());
            assertTrue(inbox.messages().get(1).hasFlag("\\seen"));
        }
    }

    @Test
    void setFlagsAfterAnotherProgramRenamedTheFile() throws IOException {
        MaildirStore store = new MaildirStore();
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            long uid = inbox.append(MaildirStoreTest.bytes(msg("x\r\n")), Set.of("\\Seen"), null);
            assertEquals(1, inbox.messages().size());
            Path file = root().resolve("cur").resolve(names(root().resolve("cur")).get(0));
            // mutt marks it flagged behind our back: the name we listed is gone
            Files.move(file, file.resolveSibling(file.getFileName().toString().replace(":2,S", ":2,FS")));
            inbox.setFlags(List.of(uid), Set.of("\\Answered"), FlagMode.ADD);
            assertEquals(Set.of("\\Seen", "\\Flagged", "\\Answered"), inbox.messages().get(0).flags());
            assertArrayEquals(msg("x\r\n"), read(inbox, uid));
            assertEquals(1, names(root().resolve("cur")).size());
        }
    }

    @Test
    void deleteAndExpunge() throws IOException {
        MaildirStore store = new MaildirStore();
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            for (int i = 0; i < 4; i++) inbox.append(MaildirStoreTest.bytes(msg("m" + i + "\r\n")), Set.of(), null);
            assertEquals(List.of(2L), inbox.delete(List.of(2L, 77L)));
            assertEquals(List.of(), inbox.delete(List.of(2L)));
            inbox.setFlags(List.of(1L, 4L), Set.of("\\Deleted"), FlagMode.ADD);
            assertEquals(List.of(1L, 4L), inbox.expunge());
            assertEquals(List.of(3L), uids(inbox));
            assertEquals(1, names(root().resolve("new")).size() + names(root().resolve("cur")).size());
            assertThrows(NoSuchFileException.class, () -> inbox.open(2));
            String index = Files.readString(root().resolve("dovecot-uidlist"));
            assertEquals(2, index.split("\n").length, index);
            assertTrue(index.contains("\n3 :"), index);
        }
    }

    @Test
    void copyGivesNewUidsAndKeepsBytesFlagsAndDate() throws IOException {
        MaildirStore store = new MaildirStore();
        Instant date = Instant.parse("2024-05-06T07:08:09Z");
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            mb.createFolder("Archive/2024");
            try (Folder archive = mb.folder("Archive/2024")) {
                archive.append(MaildirStoreTest.bytes(msg("already\r\n")), Set.of(), null);
            }
            inbox.append(MaildirStoreTest.bytes(msg("one\r\n")), Set.of("\\Seen", "todo"), date);
            inbox.append(MaildirStoreTest.bytes(msg("two\r\n")), Set.of(), date);
            Map<Long, Long> map = inbox.copyTo(List.of(2L, 1L, 42L), "Archive/2024");
            assertEquals(Map.of(1L, 2L, 2L, 3L), map);
            try (Folder archive = mb.folder("Archive/2024")) {
                List<MessageInfo> m = archive.messages();
                assertEquals(3, m.size());
                assertEquals(Set.of("\\Seen", "todo"), m.get(1).flags());
                assertEquals(date, m.get(1).internalDate());
                assertArrayEquals(msg("two\r\n"), read(archive, 3));
                assertEquals(5, m.get(2).size());
            }
            assertEquals(List.of(1L, 2L), uids(inbox), "copy leaves the source alone");
            assertThrows(NoSuchFileException.class, () -> inbox.copyTo(List.of(1L), "Nowhere"));
        }
    }

    @Test
    void foldersCreateRenameDeleteListSubscribe() throws IOException {
        MaildirStore store = new MaildirStore();
        try (Mailbox mb = store.open(location())) {
            assertEquals(List.of(new FolderInfo("INBOX", false)), mb.folders());
            mb.createFolder("Sent");
            mb.createFolder("Work");
            mb.createFolder("Work/Old");
            assertThrows(FileAlreadyExistsException.class, () -> mb.createFolder("Sent"));
            assertThrows(FileAlreadyExistsException.class, () -> mb.createFolder("inbox"));
            assertThrows(IllegalArgumentException.class, () -> mb.createFolder("../x"));
            assertThrows(IllegalArgumentException.class, () -> mb.createFolder("a.b"));
            assertTrue(Files.isRegularFile(root().resolve(".Work.Old/maildirfolder")));
            assertTrue(Files.isDirectory(root().resolve(".Work.Old/tmp")));

            mb.subscribe("Work/Old", true);
            mb.subscribe("Sent", true);
            mb.subscribe("inbox", true);
            mb.subscribe("Sent", false);
            assertEquals("Work.Old\nINBOX\n", Files.readString(root().resolve("subscriptions")));
            assertEquals(List.of(new FolderInfo("INBOX", true), new FolderInfo("Sent", false),
                    new FolderInfo("Work", false, true, true), new FolderInfo("Work/Old", true)), mb.folders());

            try (Folder old = mb.folder("Work/Old")) {
                old.append(MaildirStoreTest.bytes(msg("kept\r\n")), Set.of(), null);
            }
            mb.renameFolder("Work", "Jobs/2020");
            // Work became Jobs/2020: no folder Jobs was made, so Jobs is a level that is no folder
            assertEquals(List.of(new FolderInfo("INBOX", true), new FolderInfo("Jobs", false, false, true),
                    new FolderInfo("Jobs/2020", false, true, true), new FolderInfo("Jobs/2020/Old", true),
                    new FolderInfo("Sent", false)), mb.folders());
            try (Folder moved = mb.folder("Jobs/2020/Old")) {
                assertArrayEquals(msg("kept\r\n"), read(moved, 1));
            }
            assertThrows(NoSuchFileException.class, () -> mb.folder("Work"));
            assertThrows(FileAlreadyExistsException.class, () -> mb.renameFolder("Sent", "Jobs/2020"));
            assertThrows(IllegalArgumentException.class, () -> mb.renameFolder("INBOX", "Old"));

            assertThrows(IllegalArgumentException.class, () -> mb.deleteFolder("INBOX"));
            assertThrows(NoSuchFileException.class, () -> mb.deleteFolder("Nope"));
            mb.deleteFolder("Jobs/2020/Old");
            assertFalse(Files.exists(root().resolve(".Jobs.2020.Old")));
            assertEquals(List.of("INBOX", "Jobs", "Jobs/2020", "Sent"),
                    mb.folders().stream().map(FolderInfo::name).toList());
            assertFalse(mb.folders().get(2).hasChildren(), "Jobs/2020 lost its only child");
            assertEquals("INBOX\n", Files.readString(root().resolve("subscriptions")));
            assertTrue(names(root()).stream().noneMatch(n -> n.startsWith("..")), "no trash left behind");
        }
    }

    @Test
    void crlfSizesAndBytes() throws IOException {
        MaildirStore store = new MaildirStore();
        byte[] original = msg("Subject: s\r\n\r\nbare\rcr\r\n\r\n.\r\nend");
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            long uid = inbox.append(MaildirStoreTest.bytes(original), Set.of(), null);
            assertEquals(original.length, inbox.messages().get(0).size());
            assertEquals(original.length, inbox.totalSize());
            assertArrayEquals(original, read(inbox, uid));
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) big[i] = (byte) (i % 100 == 99 ? '\n' : 'a' + i % 26);
            Files.write(root().resolve("new/1.big.host"), big);
            List<MessageInfo> m = inbox.messages();
            assertEquals(big.length + 2000, m.get(1).size(), "counted: no ,W= in a foreign name");
            byte[] crlf = read(inbox, m.get(1).uid());
            assertEquals(big.length + 2000, crlf.length);
            assertEquals('\r', crlf[99]);
            assertEquals('\n', crlf[100]);
            assertEquals(original.length + big.length + 2000, mb.usage());
        }
    }

    @Test
    void messagesDroppedByAnotherProgramGetUidsInNameOrder() throws IOException {
        Files.createDirectories(root().resolve("new"));
        Files.createDirectories(root().resolve("cur"));
        Files.createDirectories(root().resolve("tmp"));
        Files.write(root().resolve("new/1700000002.P2.host"), msg("second\n"));
        Files.write(root().resolve("new/1700000001.P1.host"), msg("first\n"));
        Files.write(root().resolve("cur/1700000003.P3.host,S=6:2,S"), msg("third\n"));
        Files.setLastModifiedTime(root().resolve("new/1700000001.P1.host"),
                FileTime.from(Instant.parse("2023-11-14T22:13:21Z")));
        MaildirStore store = new MaildirStore();
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            List<MessageInfo> m = inbox.messages();
            assertEquals(List.of(1L, 2L, 3L), m.stream().map(MessageInfo::uid).toList());
            assertArrayEquals(msg("first\r\n"), read(inbox, 1));
            assertArrayEquals(msg("second\r\n"), read(inbox, 2));
            assertEquals(Set.of("\\Seen"), m.get(2).flags());
            assertEquals(7, m.get(2).size());
            assertEquals(Instant.parse("2023-11-14T22:13:21Z"), m.get(0).internalDate());
            assertEquals(List.of("1700000001.P1.host", "1700000002.P2.host"), names(root().resolve("new")),
                    "a scan moves nothing");
            Files.write(root().resolve("new/1700000004.P4.host"), msg("fourth\n"));
            assertEquals(List.of(1L, 2L, 3L, 4L), uids(inbox));
            Files.delete(root().resolve("new/1700000002.P2.host"));
            assertEquals(List.of(1L, 3L, 4L), uids(inbox));
            assertNotEquals(0, inbox.uidValidity());
        }
    }

    @Test
    void anIndexWrittenByDovecotIsReadAndItsChangesSeen() throws IOException {
        MaildirStore store = new MaildirStore();
        store.append(location(), "INBOX", MaildirStoreTest.bytes(msg("ours\r\n")), Set.of(), null);
        Files.write(root().resolve("cur/1700000001.M1P1.host,S=5,W=6:2,RS"), msg("old1\n"));
        Files.write(root().resolve("cur/1700000002.M2P2.host:2,"), msg("old2\n"));
        String ours = MaildirNames.key(names(root().resolve("new")).get(0));
        // Dovecot rewrote the index meanwhile (new UIDVALIDITY would be its right after a rebuild)
        Files.writeString(root().resolve("dovecot-uidlist"), "3 V1700000000 N20 G3085f01b7f11094c501100008c4a11c1\n"
                + "8 W6 :1700000001.M1P1.host,S=5,W=6\n9 :1700000002.M2P2.host\n12 :" + ours + "\n");
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals(1700000000L, inbox.uidValidity());
            List<MessageInfo> m = inbox.messages();
            assertEquals(List.of(8L, 9L, 12L), m.stream().map(MessageInfo::uid).toList());
            assertEquals(Set.of("\\Answered", "\\Seen"), m.get(0).flags());
            assertEquals(20, inbox.uidNext());
            assertEquals(20, inbox.append(MaildirStoreTest.bytes(msg("new\r\n")), Set.of(), null));
        }
        store.append(location(), "INBOX", MaildirStoreTest.bytes(msg("next\r\n")), Set.of(), null);
        String index = Files.readString(root().resolve("dovecot-uidlist"));
        // rewritten whole once (Dovecot's W field is not ours to keep), then the next one appended
        assertTrue(index.startsWith("3 V1700000000 N21 G3085f01b7f11094c501100008c4a11c1\n8 :1700000001.M1P1.host"),
                index);
        assertTrue(index.endsWith("\n20 :" + index.split("\n20 :")[1]) && index.contains("\n21 :"), index);
        assertEquals(22, UidList.read(root()).nextUid());
    }

    @Test
    void listenersHearDeliveriesAndChangesUntilClosed() throws IOException {
        MaildirStore store = new MaildirStore();
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        Mailbox session = store.open(location());
        session.addListener(heard::add);
        Mailbox bobs = store.open(new MailboxLocation("maildir", tmp.resolve("bob/Maildir").toString(), Map.of()));
        bobs.addListener(other::add);

        store.append(location(), "inbox", MaildirStoreTest.bytes(msg("x\r\n")), Set.of(), null);
        try (Mailbox second = store.open(location()); Folder inbox = second.folder("INBOX")) {
            inbox.setFlags(List.of(1L), Set.of("\\Seen"), FlagMode.ADD);
            inbox.setFlags(List.of(1L), Set.of("\\Seen"), FlagMode.ADD);
            inbox.delete(List.of(1L));
        }
        assertEquals(List.of("INBOX", "INBOX", "INBOX"), heard, "an unchanged flag is no change");
        assertEquals(List.of(), other);
        session.close();
        store.append(location(), "INBOX", MaildirStoreTest.bytes(msg("y\r\n")), Set.of(), null);
        assertEquals(3, heard.size());
        bobs.close();
    }

    @Test
    void uidlistLockIsCreatedExclusivelyAndStaleOnesAreBroken() throws IOException {
        MaildirStore store = new MaildirStore();
        store.append(location(), "INBOX", MaildirStoreTest.bytes(msg("a\r\n")), Set.of(), null);
        Path lock = root().resolve("dovecot-uidlist.lock");
        Files.write(lock, new byte[0]);
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(600)));
        store.append(location(), "INBOX", MaildirStoreTest.bytes(msg("b\r\n")), Set.of(), null);
        assertFalse(Files.exists(lock));
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals(List.of(1L, 2L), uids(inbox));
        }
    }
}
