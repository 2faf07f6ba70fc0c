package org.mailhive.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class MailLogRotationTest {

    /** A whole line as LogWriter writes it, with the writer and sequence number the test put in. */
    private static final Pattern LINE = Pattern.compile(
            "[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d mx mailhive/qmgr\\[\\d+\\]: ([0-9A-F]{10}): t=(\\d+) n=(\\d+) .*x");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(1_000_000L);

    private Path log() {
        return dir.resolve("log/mail.log");
    }

    private LogWriter writer(long rotateSize, int keep) {
        LogSettings s = new LogSettings(Level.INFO, Map.of(), log(), false, "mx", rotateSize, keep, List.of());
        return new LogWriter(s, new PrintStream(console, true, StandardCharsets.UTF_8), clock::get);
    }

    private static void event(LogWriter w, int thread, int n) {
        w.write(Level.INFO, "mail.qmgr", String.format("3F2A9C1B%02d: t=%d n=%d %s", n % 100, thread, n,
                "x".repeat(20 + n % 17)), null, true);
    }

    /** The log files from newest (mail.log) to oldest, by name. */
    private List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(log().getParent())) {
            s.forEach(out::add);
        }
        out.sort((a, b) -> Integer.compare(suffix(a), suffix(b)));
        return out;
    }

    private static int suffix(Path p) {
        String n = p.getFileName().toString();
        return n.equals("mail.log") ? 0 : Integer.parseInt(n.substring("mail.log.".length()));
    }

    private static List<String> wholeLines(Path f) throws IOException {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), f + " ends inside a line");
        List<String> lines = text.isEmpty() ? List.of()
                : List.of(text.substring(0, text.length() - 1).split("\n", -1));
        for (String l : lines) assertTrue(LINE.matcher(l).matches(), f + ": partial or mixed line: " + l);
        return lines;
    }

    @Test
    void rotatesBySizeKeepingEveryLineWholeAndInOrder() throws IOException {
        LogWriter w = writer(1000, 50);
        for (int n = 0; n < 200; n++) event(w, 0, n);
        List<Path> files = files();
        assertTrue(files.size() > 10, "rotated several times: " + files);
        List<Integer> seen = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path f = files.get(i);
            assertTrue(Files.size(f) <= 1000, f + " is " + Files.size(f) + " bytes");
            for (String l : wholeLines(f)) {
                Matcher m = LINE.matcher(l);
                assertTrue(m.matches());
                seen.add(Integer.parseInt(m.group(3)));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < 200; n++) expected.add(n);
        assertEquals(expected, seen, "oldest file first, every line once");
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void keepIsHonouredAndTheOldestDropped() throws IOException {
        LogWriter w = writer(500, 2);
        for (int n = 0; n < 100; n++) event(w, 0, n);
        List<Path> files = files();
        assertEquals(List.of("mail.log", "mail.log.1", "mail.log.2"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        List<Integer> newest = numbers(files.get(0));
        List<Integer> middle = numbers(files.get(1));
        List<Integer> oldest = numbers(files.get(2));
        assertEquals(99, newest.get(newest.size() - 1));
        assertEquals(newest.get(0) - 1, middle.get(middle.size() - 1), "mail.log.1 ends where mail.log starts");
        assertEquals(middle.get(0) - 1, oldest.get(oldest.size() - 1));
        assertTrue(oldest.get(0) > 0, "the first lines were dropped");
    }

    @Test
    void smallerKeepRemovesLeftoversAndZeroKeepsNone() throws IOException {
        Files.createDirectories(log().getParent());
        for (int i = 1; i <= 5; i++) Files.writeString(dir.resolve("log/mail.log." + i), "old\n");
        LogWriter w = writer(300, 1);
        for (int n = 0; n < 20; n++) event(w, 0, n);
        assertEquals(List.of("mail.log", "mail.log.1"), files().stream().map(p -> p.getFileName().toString()).toList());
        wholeLines(files().get(1));

        LogWriter none = writer(300, 0);
        for (int n = 0; n < 20; n++) event(none, 0, n);
        assertEquals(List.of("mail.log"), files().stream().map(p -> p.getFileName().toString()).toList());
        assertTrue(numbers(log()).contains(19));
    }

    @Test
    void zeroSizeNeverRotatesAndALongLineStillLands() throws IOException {
        LogWriter w = writer(0, 3);
        for (int n = 0; n < 100; n++) event(w, 0, n);
        assertEquals(1, files().size());
        assertEquals(100, wholeLines(log()).size());

        LogWriter tiny = writer(10, 3);
        event(tiny, 0, 100);
        event(tiny, 0, 101);
        assertEquals(List.of(101), numbers(log()), "a line longer than the limit goes alone into a file");
        assertEquals(List.of(100), numbers(files().get(1)));
        assertEquals(100, wholeLines(files().get(2)).size());
    }

    @Test
    void concurrentWritersLoseAndSplitNothing() throws Exception {
        LogWriter w = writer(2000, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < 250; n++) event(w, thread, n);
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (Path f : files()) {
            for (String l : wholeLines(f)) {
                Matcher m = LINE.matcher(l);
                assertTrue(m.matches());
                assertTrue(seen.add(m.group(2) + "/" + m.group(3)), "duplicate " + l);
                total++;
            }
        }
        assertEquals(8 * 250, total);
    }

    @Test
    void externalRenameIsNoticedAndTheFileReopened() throws IOException {
        LogWriter w = writer(0, 7);
        event(w, 0, 1);
        Path moved = dir.resolve("log/mail.log-20261124");
        Files.move(log(), moved);
        event(w, 0, 2);
        assertEquals(List.of(1, 2), numbers(moved), "before the next check the open file takes the line");
        assertFalse(Files.exists(log()));
        clock.addAndGet(LogWriter.REOPEN_CHECK_NANOS);
        event(w, 0, 3);
        event(w, 0, 4);
        assertEquals(List.of(3, 4), numbers(log()));
        assertEquals(List.of(1, 2), numbers(moved));

        // logrotate's "create": a new empty file put in place of the moved one
        Files.move(log(), dir.resolve("log/mail.log.old"));
        Files.writeString(log(), "");
        clock.addAndGet(LogWriter.REOPEN_CHECK_NANOS);
        event(w, 0, 5);
        assertEquals(List.of(5), numbers(log()));
        assertEquals(List.of(3, 4), numbers(dir.resolve("log/mail.log.old")));
    }

    @Test
    void failedRotationKeepsAppendingAndSaysSoOnce() throws IOException {
        // a non-empty directory where mail.log.1 must go cannot be replaced
        Files.createDirectories(dir.resolve("log/mail.log.1"));
        Files.writeString(dir.resolve("log/mail.log.1/blocker"), "x");
        LogWriter w = writer(300, 1);
        for (int n = 0; n < 30; n++) event(w, 0, n);
        assertEquals(30, numbers(log()).size(), "every line still in mail.log");
        String said = console.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.split("could not be rotated", -1).length - 1, said);

        // after the retry delay, with the obstacle gone, rotation resumes
        Files.delete(dir.resolve("log/mail.log.1/blocker"));
        Files.delete(dir.resolve("log/mail.log.1"));
        clock.addAndGet(LogWriter.ROTATE_RETRY_NANOS);
        event(w, 0, 30);
        assertEquals(List.of(30), numbers(log()));
        assertEquals(30, numbers(dir.resolve("log/mail.log.1")).size());
    }

    @Test
    void sizeAndKeepFromSystemProperties() {
        assertEquals(50L << 20, LogSettings.parseSize("50m"));
        assertEquals(10240, LogSettings.parseSize("10K"));
        assertEquals(1L << 30, LogSettings.parseSize(" 1g "));
        assertEquals(0, LogSettings.parseSize("0"));
        assertEquals(123, LogSettings.parseSize("123"));
        assertEquals(-1, LogSettings.parseSize("12x"));
        assertEquals(-1, LogSettings.parseSize("m"));
        assertEquals(-1, LogSettings.parseSize("-5"));
        String[] keys = {"mailhive.maillog.rotate_size", "mailhive.maillog.rotate_keep"};
        String[] before = {System.getProperty(keys[0]), System.getProperty(keys[1])};
        try {
            System.clearProperty(keys[0]);
            System.clearProperty(keys[1]);
            LogSettings d = LogSettings.fromSystemProperties();
            assertEquals(50L << 20, d.rotateSize());
            assertEquals(7, d.rotateKeep());
            assertEquals(List.of(), d.problems());
            System.setProperty(keys[0], "2k");
            System.setProperty(keys[1], "3");
            LogSettings s = LogSettings.fromSystemProperties();
            assertEquals(2048, s.rotateSize());
            assertEquals(3, s.rotateKeep());
            System.setProperty(keys[0], "big");
            System.setProperty(keys[1], "-1");
            LogSettings bad = LogSettings.fromSystemProperties();
            assertEquals(50L << 20, bad.rotateSize());
            assertEquals(7, bad.rotateKeep());
            assertEquals(2, bad.problems().size(), bad.problems().toString());
            new LogWriter(bad, new PrintStream(console, true, StandardCharsets.UTF_8), clock::get);
            assertTrue(console.toString(StandardCharsets.UTF_8).contains("mailhive.maillog.rotate_size"));
        } finally {
            for (int i = 0; i < 2; i++) {
                if (before[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], before[i]);
                }
            }
        }
    }

    private static List<Integer> numbers(Path f) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (String l : wholeLines(f)) {
            Matcher m = LINE.matcher(l);
            assertTrue(m.matches());
            out.add(Integer.parseInt(m.group(3)));
        }
        return out;
    }
}
