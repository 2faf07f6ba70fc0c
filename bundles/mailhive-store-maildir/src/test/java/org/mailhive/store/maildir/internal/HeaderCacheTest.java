package org.mailhive.store.maildir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MessageHeaders;
import org.mailhive.api.store.MessageInfo;

class HeaderCacheTest {

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("alice/Maildir");
    }

    private Path cacheFile() {
        return root().resolve(HeaderCache.FILE);
    }

    private MailboxLocation location() {
        return new MailboxLocation("maildir", root().toString(), Map.of());
    }

    /** A store as another process would have it: nothing shared in memory, names of its own. */
    private static MaildirStore process(int pid) {
        return new MaildirStore(PosixDiskOps.INSTANCE, new UniqueNames("mx.example.org", pid), Clock.systemUTC());
    }

    private static byte[] message(int i) {
        return ("From: Bob <bob@example.net>\r\nTo: alice@example.org\r\nSubject: number " + i + "\r\n\tfolded\r\n"
                + "Message-ID: <" + i + "@example.net>\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] headerOf(byte[] message) throws IOException {
        return MessageHeaders.read(new ByteArrayInputStream(message)).raw();
    }

    private void deliver(MaildirStore store, int... numbers) throws IOException {
        for (int i : numbers) store.append(location(), "INBOX", MaildirStoreTest.bytes(message(i)), Set.of(), null);
    }

    private static Path file(FolderDir dir, long uid) throws IOException {
        return dir.file(dir.scan().entries().get(uid));
    }

    /** The records of the cache file as a reader takes them: key → header, up to the first bad one. */
    private Map<String, HeaderCache.Item> records() throws IOException {
        byte[] b = Files.readAllBytes(cacheFile());
        assertArrayEquals(HeaderCache.MAGIC, Arrays.copyOf(b, HeaderCache.MAGIC.length), "file magic");
        Map<String, HeaderCache.Item> out = new LinkedHashMap<>();
        int off = HeaderCache.FILE_HEADER;
        while (off + 8 <= b.length) {
            int len = ByteBuffer.wrap(b, off + 4, 4).getInt() + 12;
            HeaderCache.Item it = off + len <= b.length ? HeaderCache.decode(b, off, len) : null;
            if (it == null) break;
            assertFalse(out.containsKey(it.key()), "one record per message: " + it.key());
            out.put(it.key(), it);
            off += len;
        }
        assertEquals(b.length, off, "every byte of the file belongs to a good record");
        return out;
    }

    @Test
    void deliveryFillsTheCacheAndAHitReadsNoMessageFile() throws IOException {
        MaildirStore store = process(1);
        deliver(store, 1, 2);
        Map<String, HeaderCache.Item> recs = records();
        assertEquals(2, recs.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile())));
        for (HeaderCache.Item it : recs.values()) {
            assertEquals(MaildirNames.sizeField(it.key(), 'W'), it.crlfSize());
        }

        FolderDir dir = store.dir(root());
        // the file now says something else: only a reader that opened it could see that
        Path first = file(dir, 1);
        Files.writeString(first, "Subject: rewritten behind our back\n\nx\n");
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            MessageHeaders h = inbox.headers(1);
            assertArrayEquals(headerOf(message(1)), h.raw());
            assertEquals("number 1\tfolded", h.get("subject"));
            assertEquals("<2@example.net>", inbox.headers(2).envelope().messageId());
            assertEquals(0, dir.cache.headerReads.get());
            assertThrows(NoSuchFileException.class, () -> inbox.headers(3));
        }
    }

    @Test
    void headerCapturedAtDeliveryEqualsTheOneReadBackFromTheFile() throws IOException {
        byte[] odd = {'S', 'u', 'b', ':', ' ', 'a', '\r', 'b', '\n', 'X', ':', '\r', '\r', '\n', 'Y', ':', ' ', 'y',
            '\n', '\n', 'b', 'o', 'd', 'y'};
        MaildirStore store = process(1);
        store.append(location(), "INBOX", MaildirStoreTest.bytes(odd), Set.of(), null);
        byte[] fromCache = records().values().iterator().next().header();
        try (Mailbox mb = process(2).open(location()); Folder inbox = mb.folder("INBOX")) {
            byte[] fromFile = MessageHeaders.read(inbox.open(1)).raw();
            assertArrayEquals(fromFile, fromCache);
            assertEquals("Sub: a\rb\r\nX:\r\nY: y\r\n\r\n", new String(fromCache, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void flagRenameKeepsTheHit() throws IOException {
        MaildirStore store = process(1);
        deliver(store, 1);
        FolderDir dir = store.dir(root());
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            inbox.setFlags(List.of(1L), Set.of("\\Seen", "project"), FlagMode.ADD);
            Path renamed = file(dir, 1);
            assertTrue(renamed.toString().contains("/cur/") && renamed.toString().endsWith(":2,Sa"), renamed.toString());
            Files.writeString(renamed, "Subject: not what was delivered\n\n");
            assertArrayEquals(headerOf(message(1)), inbox.headers(1).raw());
            assertEquals(0, dir.cache.headerReads.get());
        }
    }

    @Test
    void messageOfAnotherDeliveryAgentIsParsedOnceThenCached() throws IOException {
        Files.createDirectories(root().resolve("new"));
        Files.createDirectories(root().resolve("cur"));
        Files.createDirectories(root().resolve("tmp"));
        String name = "1700000000.M1P1.other";
        Files.writeString(root().resolve("new").resolve(name), "Subject: from procmail\nFrom: x@example.org\n\nbody\n");
        MaildirStore first = process(1);
        FolderDir dir = first.dir(root());
        try (Mailbox mb = first.open(location()); Folder inbox = mb.folder("INBOX")) {
            MessageHeaders h = inbox.headers(1);
            assertEquals("from procmail", h.get("Subject"));
            assertArrayEquals("Subject: from procmail\r\nFrom: x@example.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    h.raw());
            assertEquals(1, dir.cache.headerReads.get());
        }
        // closing the last session wrote what was parsed
        assertEquals(Set.of(name), records().keySet());
        assertEquals(-1, records().get(name).crlfSize(), "only the header was read, so the size is unknown");

        MaildirStore second = process(2);
        FolderDir again = second.dir(root());
        try (Mailbox mb = second.open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals("x@example.org", inbox.headers(1).envelope().replyTo());
            assertEquals(0, again.cache.headerReads.get());
        }
    }

    @Test
    void listingAForeignMessageCachesItsSizeAndHeader() throws IOException {
        Files.createDirectories(root().resolve("new"));
        Files.createDirectories(root().resolve("cur"));
        Files.createDirectories(root().resolve("tmp"));
        String name = "1700000000.M2P1.other";
        Files.writeString(root().resolve("new").resolve(name), "Subject: s\n\nline\n");
        try (Mailbox mb = process(1).open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals(List.of(20L), inbox.messages().stream().map(MessageInfo::size).toList());
        }
        HeaderCache.Item it = records().get(name);
        assertEquals(20, it.crlfSize());
        assertEquals("Subject: s\r\n\r\n", new String(it.header(), StandardCharsets.US_ASCII));
        // a new process lists the size from the cache: the file's content no longer matters
        Files.writeString(root().resolve("new").resolve(name), "Subject: s\n\nline\nmore and more lines\n");
        try (Mailbox mb = process(2).open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals(20, inbox.messages().get(0).size());
        }
    }

    @Test
    void tornTailIsIgnoredAndRewritten() throws IOException {
        deliver(process(1), 1, 2, 3);
        long full = Files.size(cacheFile());
        try (var ch = Files.newByteChannel(cacheFile(), StandardOpenOption.WRITE)) {
            ch.truncate(full - 7);
            // what a crash in the middle of a longer write can leave after the cut
            ch.position(full - 7);
            ch.write(ByteBuffer.wrap("x".repeat(3000).getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals(2, records0().size(), "the cut record is not read");

        MaildirStore next = process(2);
        FolderDir dir = next.dir(root());
        try (Mailbox mb = next.open(location()); Folder inbox = mb.folder("INBOX")) {
            for (long uid = 1; uid <= 3; uid++) {
                assertArrayEquals(headerOf(message((int) uid)), inbox.headers(uid).raw());
            }
            assertEquals(1, dir.cache.headerReads.get(), "only the message whose record was torn is read");
        }
        assertEquals(3, records().size());
        assertEquals(full, Files.size(cacheFile()), "the torn record was replaced, not left before the new one");
    }

    /** Like {@link #records} but without requiring the file to end at a record. */
    private List<String> records0() throws IOException {
        byte[] b = Files.readAllBytes(cacheFile());
        List<String> keys = new ArrayList<>();
        int off = HeaderCache.FILE_HEADER;
        while (off + 8 <= b.length) {
            int len = ByteBuffer.wrap(b, off + 4, 4).getInt() + 12;
            HeaderCache.Item it = off + len <= b.length ? HeaderCache.decode(b, off, len) : null;
            if (it == null) break;
            keys.add(it.key());
            off += len;
        }
        return keys;
    }

    @Test
    void corruptOrForeignFileIsDiscardedAndRebuilt() throws IOException {
        deliver(process(1), 1, 2);
        byte[] b = Files.readAllBytes(cacheFile());
        b[7] = 9; // another format version
        Files.write(cacheFile(), b);

        MaildirStore next = process(2);
        FolderDir dir = next.dir(root());
        try (Mailbox mb = next.open(location()); Folder inbox = mb.folder("INBOX")) {
            assertArrayEquals(headerOf(message(1)), inbox.headers(1).raw());
            assertArrayEquals(headerOf(message(2)), inbox.headers(2).raw());
            assertEquals(2, dir.cache.headerReads.get(), "nothing was taken from a file of another version");
        }
        assertEquals(2, records().size(), "rebuilt with the current magic");

        Files.writeString(cacheFile(), "garbage that is not a cache at all");
        deliver(process(3), 3);
        assertEquals(1, records().size(), "replaced by the delivery; the others come back lazily");
        try (Mailbox mb = process(4).open(location()); Folder inbox = mb.folder("INBOX")) {
            assertArrayEquals(headerOf(message(3)), inbox.headers(3).raw());
        }
    }

    @Test
    void damagedRecordInTheMiddleIsAMissNotAWrongAnswer() throws IOException {
        deliver(process(1), 1, 2, 3);
        byte[] b = Files.readAllBytes(cacheFile());
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("number 2");
        b[at] = 'N';
        Files.write(cacheFile(), b);
        MaildirStore next = process(2);
        try (Mailbox mb = next.open(location()); Folder inbox = mb.folder("INBOX")) {
            assertEquals("number 2\tfolded", inbox.headers(2).get("Subject"));
            assertEquals("number 3\tfolded", inbox.headers(3).get("Subject"));
        }
    }

    @Test
    void compactionDropsDeletedMessagesWhenMoreThanHalfAreDead() throws IOException {
        MaildirStore store = process(1);
        deliver(store, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertEquals(10, records().size());
        long before = Files.size(cacheFile());
        try (Mailbox mb = store.open(location()); Folder inbox = mb.folder("INBOX")) {
            inbox.delete(List.of(1L, 2L, 3L, 4L));
            assertEquals(10, records().size(), "4 dead of 10: not yet worth a rewrite");
            inbox.delete(List.of(5L, 6L));
            Map<String, HeaderCache.Item> left = records();
            assertEquals(4, left.size(), "6 dead of 10: rewritten");
            assertTrue(Files.size(cacheFile()) < before / 2, Files.size(cacheFile()) + " of " + before);
            Set<String> live = Set.copyOf(UidList.read(root()).entries().values());
            assertEquals(live, left.keySet());
            for (long uid = 7; uid <= 10; uid++) {
                assertArrayEquals(headerOf(message((int) uid)), inbox.headers(uid).raw());
            }
            assertEquals(0, store.dir(root()).cache.headerReads.get());
            assertFalse(Files.exists(root().resolve(HeaderCache.FILE + ".tmp")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile())));
        }
    }

    @Test
    void compactionAfterExpungeByAnotherProgram() throws IOException {
        deliver(process(1), 1, 2, 3);
        MaildirStore other = process(2);
        try (Mailbox mb = other.open(location()); Folder inbox = mb.folder("INBOX")) {
            // mutt deletes two files; our next scan notices and drops them from the index and cache
            Files.delete(file(other.dir(root()), 1));
            Files.delete(file(other.dir(root()), 2));
            inbox.setFlags(List.of(3L), Set.of("\\Seen"), FlagMode.ADD);
            assertEquals(1, records().size());
            assertThrows(NoSuchFileException.class, () -> inbox.headers(1));
        }
    }

    @Test
    void concurrentDeliveriesAndReadersOfTwoProcessesKeepTheFileWhole() throws Exception {
        MaildirStore a = process(1);
        MaildirStore b = process(2);
        deliver(a, 0);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> jobs = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                MaildirStore s = t % 2 == 0 ? a : b;
                int first = 1 + t * 10;
                jobs.add(pool.submit(() -> {
                    go.await();
                    for (int i = first; i < first + 10; i++) deliver(s, i);
                    return null;
                }));
            }
            for (MaildirStore s : List.of(a, b)) {
                jobs.add(pool.submit(() -> {
                    go.await();
                    for (int round = 0; round < 5; round++) {
                        try (Mailbox mb = s.open(location()); Folder inbox = mb.folder("INBOX")) {
                            for (MessageInfo m : inbox.messages()) {
                                String subject = inbox.headers(m.uid()).get("Subject");
                                assertTrue(subject.startsWith("number "), subject);
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : jobs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        Map<String, HeaderCache.Item> recs = records();
        assertEquals(41, recs.size());
        try (Mailbox mb = process(3).open(location()); Folder inbox = mb.folder("INBOX")) {
            List<MessageInfo> all = inbox.messages();
            assertEquals(41, all.size());
            for (MessageInfo m : all) {
                MessageHeaders h = inbox.headers(m.uid());
                int n = Integer.parseInt(h.get("Subject").replaceAll("number (\\d+)\tfolded", "$1"));
                assertArrayEquals(headerOf(message(n)), h.raw());
            }
        }
        try (Stream<Path> s = Files.list(root())) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lock")).toList());
        }
    }

    @Test
    void copyCarriesTheCachedHeaderToTheTarget() throws IOException {
        MaildirStore store = process(1);
        deliver(store, 1);
        try (Mailbox mb = store.open(location())) {
            mb.createFolder("Archive");
            try (Folder inbox = mb.folder("INBOX")) {
                inbox.copyTo(List.of(1L), "Archive");
            }
            FolderDir archive = store.dir(root().resolve(".Archive"));
            try (Folder f = mb.folder("Archive")) {
                assertArrayEquals(headerOf(message(1)), f.headers(1).raw());
            }
            assertEquals(0, archive.cache.headerReads.get());
            assertNotEquals(0, Files.size(root().resolve(".Archive").resolve(HeaderCache.FILE)));
        }
    }
}
