package org.mailhive.store.maildir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.MailboxLocation;

class MaildirStoreTest {

    @TempDir
    Path tmp;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private final DiskOps recording = new DiskOps() {
        @Override
        public void syncFile(Path file, FileChannel channel) throws IOException {
            events.add("syncFile " + tmp.relativize(file));
            channel.force(true);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            events.add("move " + tmp.relativize(source) + " -> " + tmp.relativize(target));
            PosixDiskOps.INSTANCE.move(source, target);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            events.add("syncDir " + tmp.relativize(dir));
            PosixDiskOps.INSTANCE.syncDirectory(dir);
        }
    };

    private final Instant now = Instant.parse("2026-01-02T03:04:05.123456Z");
    private final MaildirStore store = new MaildirStore(recording, new UniqueNames("mx.example.org", 42),
            Clock.fixed(now, ZoneOffset.UTC));

    private MailboxLocation location() {
        return new MailboxLocation("maildir", tmp.resolve("alice/Maildir").toString(), Map.of());
    }

    static MessageContent bytes(byte[] data) {
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(data);
            }

            @Override
            public long size() {
                return data.length;
            }
        };
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void crlfBecomesLfAndEightBitBytesAreKept() throws IOException {
        byte[] msg = {'S', 'u', 'b', ':', ' ', (byte) 0xC3, (byte) 0xA9, '\r', '\n', '\r', '\n',
            'a', '\r', 'b', '\r', '\n', (byte) 0xFF, '\r'};
        AppendResult r = store.append(location(), "INBOX", bytes(msg), Set.of(), now);

        byte[] expected = {'S', 'u', 'b', ':', ' ', (byte) 0xC3, (byte) 0xA9, '\n', '\n', 'a', '\r', 'b', '\n',
            (byte) 0xFF, '\r'};
        Path file = tmp.resolve("alice/Maildir/new").resolve(r.storedAs());
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals("INBOX", r.folder());
        assertEquals("1767323045.M123456P42Q1.mx.example.org,S=15,W=18", r.storedAs());
        assertEquals(now.getEpochSecond(), Files.getLastModifiedTime(file).toInstant().getEpochSecond());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve("alice/Maildir/cur"))));
        assertTrue(list(tmp.resolve("alice/Maildir/tmp")).isEmpty());
    }

    @Test
    void syncsFileBeforeMoveAndDirectoryAfter() throws IOException {
        store.append(location(), "INBOX", bytes("x\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), now);
        List<String> tail = events.subList(events.size() - 6, events.size());
        String base = "1767323045.M123456P42Q1.mx.example.org";
        assertEquals(List.of(
                "syncFile alice/Maildir/tmp/" + base,
                "move alice/Maildir/tmp/" + base + " -> alice/Maildir/new/" + base + ",S=2,W=3"), tail.subList(0, 2));
        // new/ and the new index (still the lock file) are synced at the same time, before the index is renamed
        assertEquals(Set.of("syncDir alice/Maildir/new", "syncFile alice/Maildir/dovecot-uidlist.lock"),
                Set.copyOf(tail.subList(2, 4)));
        assertEquals(List.of(
                "move alice/Maildir/dovecot-uidlist.lock -> alice/Maildir/dovecot-uidlist",
                "syncDir alice/Maildir"), tail.subList(4, 6));
        assertEquals("3 V1767323045 N2\n1 :" + base + ",S=2,W=3\n",
                Files.readString(tmp.resolve("alice/Maildir/dovecot-uidlist")));
        assertTrue(Files.notExists(tmp.resolve("alice/Maildir/dovecot-uidlist.lock")));
    }

    @Test
    void aMaildirRemovedBetweenDeliveriesIsCreatedAgain() throws IOException {
        MaildirStore real = new MaildirStore();
        store.append(location(), "INBOX", bytes("one\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null);
        real.append(location(), "INBOX", bytes("two\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null);
        // the next delivery does not look for cur/ new/ tmp/ again; it finds out when tmp/ is gone
        try (Stream<Path> walk = Files.walk(tmp.resolve("alice"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        AppendResult r = real.append(location(), "INBOX", bytes("three\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(), null);
        assertEquals("three\n", Files.readString(tmp.resolve("alice/Maildir/new").resolve(r.storedAs())));
        assertTrue(Files.isDirectory(tmp.resolve("alice/Maildir/cur")));
        assertTrue(list(tmp.resolve("alice/Maildir/tmp")).isEmpty());
        // and a folder of a removed Maildir++ gets its root and its marker again
        real.append(location(), "Archive", bytes("four\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null);
        Files.walk(tmp.resolve("alice")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        real.append(location(), "Archive", bytes("five\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), null);
        assertTrue(Files.isDirectory(tmp.resolve("alice/Maildir/cur")));
        assertTrue(Files.exists(tmp.resolve("alice/Maildir/.Archive/maildirfolder")));
        assertEquals(1, list(tmp.resolve("alice/Maildir/.Archive/new")).size());
    }

    @Test
    void failedStreamLeavesNothingBehind() throws IOException {
        MessageContent broken = new MessageContent() {
            @Override
            public InputStream openStream() {
                return new InputStream() {
                    int served;

                    @Override
                    public int read() throws IOException {
                        if (served++ > 5000) throw new IOException("queue file vanished");
                        return 'x';
                    }
                };
            }

            @Override
            public long size() {
                return 10_000;
            }
        };
        IOException e = assertThrows(IOException.class,
                () -> store.append(location(), "INBOX", broken, Set.of(), now));
        assertTrue(e.getMessage().contains("queue file vanished"));
        Path md = tmp.resolve("alice/Maildir");
        assertTrue(list(md.resolve("new")).isEmpty());
        assertTrue(list(md.resolve("cur")).isEmpty());
        assertTrue(list(md.resolve("tmp")).isEmpty());
        assertTrue(events.stream().noneMatch(ev -> ev.startsWith("move")));
    }

    @Test
    void twentyMegabytesAreStreamed() throws IOException {
        long lines = 20L * 1024 * 1024 / 64;
        MessageContent big = new MessageContent() {
            @Override
            public InputStream openStream() {
                return new LineGenerator(lines);
            }

            @Override
            public long size() {
                return lines * 64;
            }
        };
        AppendResult r = store.append(location(), "INBOX", big, Set.of(), now);
        Path file = tmp.resolve("alice/Maildir/new").resolve(r.storedAs());
        assertEquals(lines * 63, Files.size(file));
        assertTrue(r.storedAs().endsWith(",S=" + lines * 63 + ",W=" + lines * 64), r.storedAs());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] line = new byte[63];
            for (long i = 0; i < lines; i++) {
                assertEquals(63, in.readNBytes(line, 0, 63));
                assertEquals('\n', line[62], "line " + i);
                assertEquals('a' + (int) (i % 26), line[0], "line " + i);
            }
            assertEquals(-1, in.read());
        }
    }

    /** Lines of 62 letters + CRLF, produced on the fly so the test itself holds no 20 MB array. */
    static final class LineGenerator extends InputStream {
        private final long lines;
        private long pos;

        LineGenerator(long lines) {
            this.lines = lines;
        }

        @Override
        public int read() {
            if (pos >= lines * 64) return -1;
            long line = pos / 64;
            int col = (int) (pos++ % 64);
            if (col == 62) return '\r';
            if (col == 63) return '\n';
            return 'a' + (int) (line % 26);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) break;
                b[off + n++] = (byte) c;
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }

    @Test
    void concurrentAppendsGetDistinctFiles() throws Exception {
        MaildirStore real = new MaildirStore();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AppendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] msg = ("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
                Callable<AppendResult> c = () -> real.append(location(), "INBOX", bytes(msg), Set.of(), Instant.now());
                futures.add(pool.submit(c));
            }
            Set<String> names = new HashSet<>();
            for (Future<AppendResult> f : futures) names.add(f.get().storedAs());
            assertEquals(20, names.size());
        } finally {
            pool.shutdownNow();
        }
        List<Path> files = list(tmp.resolve("alice/Maildir/new"));
        assertEquals(20, files.size());
        Set<String> bodies = new HashSet<>();
        for (Path f : files) bodies.add(Files.readString(f, StandardCharsets.US_ASCII));
        assertEquals(20, bodies.size());
    }

    @Test
    void flagsGoToCurWithSortedInfo() throws IOException {
        AppendResult r = store.append(location(), "Archive/2025", bytes("x\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$Junk"), now);
        assertTrue(r.storedAs().endsWith(",S=2,W=3:2,DFRSTa"), r.storedAs());
        assertEquals("Archive/2025", r.folder());
        Path file = tmp.resolve("alice/Maildir/.Archive.2025/cur").resolve(r.storedAs());
        assertArrayEquals("x\n".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(file));
        assertTrue(Files.isDirectory(tmp.resolve("alice/Maildir/.Archive.2025/new")));
        assertTrue(Files.isDirectory(tmp.resolve("alice/Maildir/.Archive.2025/tmp")));
        assertEquals("0 $Junk\n", Files.readString(tmp.resolve("alice/Maildir/.Archive.2025/dovecot-keywords")));
        assertTrue(Files.isRegularFile(tmp.resolve("alice/Maildir/.Archive.2025/maildirfolder")));
        assertEquals("S", MaildirNames.letters(Set.of("\\seen"), null, ""));
        assertEquals("PS", MaildirNames.letters(Set.of("\\Seen"), null, "Pa"), "unknown letters of others are kept");
    }

    @Test
    void hostileFolderNamesAreRejected() {
        for (String bad : List.of("..", "a/../b", ".hidden", "/abs", "trail/", "a//b", "nul\0x", "tab\tx", "a.b", "")) {
            assertThrows(IllegalArgumentException.class,
                    () -> store.append(location(), bad, bytes(new byte[] {'x'}), Set.of(), now), bad);
        }
        assertEquals(tmp.resolve("alice/Maildir"), MaildirFolders.resolve(tmp.resolve("alice/Maildir"), "inbox"));
        assertEquals(tmp.resolve(".Sent"), MaildirFolders.resolve(tmp, "Sent"));
    }

    @Test
    void hostnameIsEscaped() {
        assertEquals("a\\057b\\072c", UniqueNames.escapeHost("a/b:c"));
        UniqueNames n = new UniqueNames("h", 7);
        assertEquals("5.M3P7Q1.h", n.next(Instant.ofEpochSecond(5, 3000)));
        assertEquals("5.M3P7Q2.h", n.next(Instant.ofEpochSecond(5, 3000)));
    }
}
