package org.mailhive.store.maildir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidListTest {

    @TempDir
    Path dir;

    /** What render() must produce: the header and every entry, written out from scratch. */
    private static String full(UidList l) {
        StringBuilder sb = new StringBuilder("3 V" + l.uidValidity() + " N" + l.nextUid() + "\n");
        TreeMap<Long, String> e = l.entries();
        e.forEach((uid, key) -> sb.append(uid).append(" :").append(key).append('\n'));
        return sb.toString();
    }

    private static String render(UidList l) {
        return new String(l.render(), StandardCharsets.UTF_8);
    }

    @Test
    void incrementalRenderEqualsAFullRenderThroughAddsRemovesAndRereads() throws IOException {
        UidList l = UidList.create(1700000000L);
        for (int i = 0; i < 50; i++) {
            l.add("m" + i);
            if (i % 7 == 0) assertEquals(full(l), render(l));
        }
        assertEquals(full(l), render(l));
        l.remove(3);
        l.remove(50);
        assertEquals(full(l), render(l));
        l.add("after-remove");
        assertEquals(full(l), render(l));
        assertEquals(l.uidOf("m0"), l.add("m0"), "a known name keeps its UID");
        assertEquals(full(l), render(l));
        Files.write(dir.resolve(UidList.FILE), l.render());
        UidList back = UidList.read(dir);
        assertEquals(render(l), render(back));
        back.add("new-after-read");
        assertTrue(render(back).endsWith(back.uidOf("new-after-read") + " :new-after-read\n"));
        assertEquals(full(back), render(back));
    }

    @Test
    void failedDirectorySyncLeavesTheOldIndexAndNoMessage() throws IOException {
        Path maildir = dir.resolve("Maildir");
        DiskOps failing = new DiskOps() {
            volatile boolean fail;

            @Override
            public void syncFile(Path file, FileChannel channel) throws IOException {
                channel.force(true);
                fail = true;
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                PosixDiskOps.INSTANCE.move(source, target);
            }

            @Override
            public void syncDirectory(Path d) throws IOException {
                if (fail && d.getFileName().toString().equals("new")) throw new IOException("I/O error (test)");
                PosixDiskOps.INSTANCE.syncDirectory(d);
            }
        };
        MaildirStore ok = new MaildirStore(PosixDiskOps.INSTANCE, new UniqueNames("mx.example.org", 42),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
        org.mailhive.api.store.MailboxLocation loc =
                new org.mailhive.api.store.MailboxLocation("maildir", maildir.toString(), java.util.Map.of());
        ok.append(loc, "INBOX", MaildirStoreTest.bytes("a\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null);
        byte[] before = Files.readAllBytes(maildir.resolve(UidList.FILE));

        MaildirStore broken = new MaildirStore(failing, new UniqueNames("mx.example.org", 43),
                Clock.fixed(Instant.parse("2026-01-02T03:04:06Z"), ZoneOffset.UTC));
        assertThrows(IOException.class, () -> broken.append(loc, "INBOX",
                MaildirStoreTest.bytes("b\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null));
        assertArrayEquals(before, Files.readAllBytes(maildir.resolve(UidList.FILE)));
        assertTrue(Files.notExists(maildir.resolve(DotLock.FILE)));
        try (var s = Files.list(maildir.resolve("new"))) {
            assertEquals(1, s.count(), "only the first message is in new/");
        }
        try (var s = Files.list(maildir.resolve("tmp"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void newMessagesAreAppendedInPlaceAndOtherChangesRewriteTheIndex() throws IOException {
        Path maildir = dir.resolve("Maildir");
        MaildirStore store = new MaildirStore(PosixDiskOps.INSTANCE, new UniqueNames("mx.example.org", 42),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
        org.mailhive.api.store.MailboxLocation loc =
                new org.mailhive.api.store.MailboxLocation("maildir", maildir.toString(), java.util.Map.of());
        Path index = maildir.resolve(UidList.FILE);
        store.append(loc, "INBOX", MaildirStoreTest.bytes("a\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null);
        String afterFirst = Files.readString(index);
        assertTrue(afterFirst.startsWith("3 V1767323045 N2\n1 :"), afterFirst);
        for (int i = 0; i < 5; i++) {
            store.append(loc, "INBOX", MaildirStoreTest.bytes(("m" + i + "\r\n").getBytes(StandardCharsets.US_ASCII)),
                    Set.of(), null);
        }
        // the same file, grown by one line per message: its header still says N2 as first written
        // (a rewrite would say N7)
        String grown = Files.readString(index);
        assertTrue(grown.startsWith(afterFirst), grown);
        assertEquals(7, grown.split("\n").length);
        assertTrue(grown.split("\n")[6].startsWith("6 :"), grown);
        UidList read = UidList.read(maildir);
        assertEquals(7, read.nextUid(), "the highest UID + 1, not the header's N");
        assertEquals(6, read.entries().size());
        assertTrue(Files.notExists(maildir.resolve(DotLock.FILE)));

        // another process (a fresh store) sees all six with their UIDs and gives the next one UID 7
        MaildirStore other = new MaildirStore(PosixDiskOps.INSTANCE, new UniqueNames("mx.example.org", 43),
                Clock.fixed(Instant.parse("2026-01-02T03:04:06Z"), ZoneOffset.UTC));
        try (org.mailhive.api.store.Mailbox mb = other.open(loc);
                org.mailhive.api.store.Folder inbox = mb.folder("INBOX")) {
            assertEquals(java.util.List.of(1L, 2L, 3L, 4L, 5L, 6L),
                    inbox.messages().stream().map(org.mailhive.api.store.MessageInfo::uid).toList());
            assertEquals(7, inbox.append(MaildirStoreTest.bytes("n\r\n".getBytes(StandardCharsets.US_ASCII)),
                    Set.of(), null));
            // a removal is no append: the index is written whole (with N8) and renamed into place
            inbox.delete(java.util.List.of(2L));
        }
        String rewritten = Files.readString(index);
        assertTrue(rewritten.startsWith("3 V1767323045 N8\n1 :"), rewritten);
        assertTrue(!rewritten.contains("\n2 :"), rewritten);
    }

    @Test
    void aLineACrashCutShortDoesNotCount() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(UidList.FILE), "3 V1700000000 N3\n1 :a\n2 :b\n3 :c.tor");
        UidList l = UidList.read(dir);
        assertEquals(java.util.Map.of(1L, "a", 2L, "b"), l.entries());
        assertEquals(3, l.nextUid());
        Files.writeString(dir.resolve(UidList.FILE), "3 V1700000000 N3");
        assertEquals(null, UidList.read(dir), "not even a whole header: rebuilt");
    }
}
