package org.mailhive.store.mbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailhive.store.mbox.internal.TestMessages.read;
import static org.mailhive.store.mbox.internal.TestMessages.simple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.FolderInfo;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MessageInfo;

class MboxMailboxTest {

    @TempDir
    Path dir;

    private Path inbox() {
        return dir.resolve("spool/alice");
    }

    @Test
    void twentyConcurrentAppendsLoseNothing() throws Exception {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = TestMessages.location(dir);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AppendResult>> results = new ArrayList<>();
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            for (int i = 0; i < 20; i++) {
                String subject = "m" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    // half go through delivery, half through a session, as with IMAP APPEND during delivery
                    if (subject.hashCode() % 2 == 0) return store.append(loc, null, simple(subject), Set.of(), null);
                    f.append(simple(subject), Set.of(), null);
                    return null;
                }));
            }
            start.countDown();
            for (Future<AppendResult> r : results) r.get(60, TimeUnit.SECONDS);
            List<MessageInfo> list = f.messages();
            assertEquals(20, list.size());
            Set<String> subjects = new TreeSet<>();
            long lastUid = 0;
            for (MessageInfo m : list) {
                assertTrue(m.uid() > lastUid);
                lastUid = m.uid();
                String text = read(f.open(m.uid()));
                subjects.add(text.replaceAll("(?s).*Subject: (m\\d+)\r\n.*", "$1"));
            }
            assertEquals(20, subjects.size());
        } finally {
            pool.shutdownNow();
        }
        String text = Files.readString(inbox(), StandardCharsets.ISO_8859_1);
        assertEquals(20, text.split("(?m)^From bob@example.org ", -1).length - 1);
        assertFalse(Files.exists(dir.resolve("spool/alice.lock")));
    }

    @Test
    void foldersAreFilesUnderTheRoot() throws IOException {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = TestMessages.location(dir);
        store.append(loc, "Archive/2024", simple("old"), Set.of(), null);
        assertTrue(Files.readString(dir.resolve("mail/Archive/2024")).startsWith("From bob@example.org "));
        try (Mailbox mb = store.open(loc)) {
            mb.createFolder("Sent");
            assertThrows(FileAlreadyExistsException.class, () -> mb.createFolder("Sent"));
            mb.subscribe("Sent", true);
            mb.subscribe("inbox", true);
            // Archive is the directory that holds the folder file 2024: a level, not a folder
            assertEquals(List.of(new FolderInfo("INBOX", true), new FolderInfo("Archive", false, false, true),
                    new FolderInfo("Archive/2024", false), new FolderInfo("Sent", true)), mb.folders());
            assertThrows(NoSuchFileException.class, () -> mb.folder("Nope"));

            mb.renameFolder("Archive/2024", "Old/2024");
            try (Folder f = mb.folder("Old/2024")) {
                assertEquals(1, f.messages().size());
                assertEquals(1, f.messages().get(0).uid());
            }
            assertFalse(Files.exists(dir.resolve("mail/Archive/2024")));
            mb.deleteFolder("Old/2024");
            mb.deleteFolder("Archive");
            mb.subscribe("Sent", false);
            assertEquals(List.of(new FolderInfo("INBOX", true), new FolderInfo("Sent", false)), mb.folders());
            assertThrows(IllegalArgumentException.class, () -> mb.deleteFolder("INBOX"));
            store.append(loc, "Sent", simple("sent"), Set.of(), null);
            assertTrue(Files.size(dir.resolve("mail/Sent")) > 100);
            assertEquals(Files.size(dir.resolve("mail/Sent")), mb.usage());
        }
    }

    @Test
    void namesThatLeaveTheRootOrHideAreRefused() throws IOException {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = TestMessages.location(dir);
        try (Mailbox mb = store.open(loc)) {
            for (String bad : List.of("../escape", "/etc/passwd", "a/../../b", ".hidden", "a//b", "x.lock", "a\u0001",
                    "Sent/", "INBOX/sub")) {
                assertThrows(IllegalArgumentException.class, () -> mb.createFolder(bad), bad);
                assertThrows(IllegalArgumentException.class,
                        () -> store.append(loc, bad, simple("x"), Set.of(), null), bad);
            }
        }
        assertFalse(Files.exists(dir.resolve("escape")));
        assertThrows(IllegalArgumentException.class,
                () -> store.append(MailboxLocation.parse("mbox:relative/mail"), null, simple("x"), Set.of(), null));
    }

    @Test
    void inboxDeletedByAnotherProgramComesBackEmpty() throws IOException {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = TestMessages.location(dir);
        store.append(loc, null, simple("x"), Set.of(), null);
        try (Mailbox mb = store.open(loc); Folder f = mb.folder("INBOX")) {
            assertEquals(1, f.messages().size());
            Files.delete(inbox());
            assertEquals(List.of(), f.messages());
            assertTrue(Files.isRegularFile(inbox()));
        }
    }

    @Test
    void defaultInboxIsInboxUnderTheRoot() throws IOException {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = MailboxLocation.parse("mbox:" + dir.resolve("mail"));
        store.append(loc, "INBOX", simple("x"), Set.of(), null);
        assertTrue(Files.isRegularFile(dir.resolve("mail/inbox")));
        try (Mailbox mb = store.open(loc)) {
            assertEquals(List.of(new FolderInfo("INBOX", false)), mb.folders());
        }
    }

    @Test
    void aLiveDotlockMakesAppendWaitThenFailAndAStaleOneIsBroken() throws IOException {
        MboxRegistry registry = new MboxRegistry();
        MboxStore store = new MboxStore(registry, ZoneOffset.UTC, Clock.systemUTC());
        store.configure(Map.of("mbox_lock_timeout", "1s", "mbox_dotlock_change_timeout", "5m"));
        assertEquals(Duration.ofSeconds(1), store.env().lockTimeout());
        MailboxLocation loc = TestMessages.location(dir);
        store.append(loc, null, simple("first"), Set.of(), null);
        byte[] before = Files.readAllBytes(inbox());
        Path lock = dir.resolve("spool/alice.lock");
        Files.createFile(lock);
        IOException e = assertThrows(IOException.class, () -> store.append(loc, null, simple("x"), Set.of(), null));
        assertTrue(e.getMessage().contains("locked"), e.getMessage());
        assertTrue(Files.exists(lock), "someone else's lock must stay");
        assertEquals(new String(before, StandardCharsets.ISO_8859_1), Files.readString(inbox(), StandardCharsets.ISO_8859_1));

        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(6))));
        store.append(loc, null, simple("second"), Set.of(), null);
        assertFalse(Files.exists(lock));
        assertTrue(Files.readString(inbox()).contains("Subject: second"));
    }

    @Test
    void anFcntlLockHeldByAnotherProgramIsRespected() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 is not installed");
        MboxStore store = new MboxStore(new MboxRegistry(), ZoneOffset.UTC, Clock.systemUTC());
        store.configure(Map.of("mbox_lock_timeout", "1s"));
        MailboxLocation loc = TestMessages.location(dir);
        store.append(loc, null, simple("first"), Set.of(), null);
        // lockf is fcntl(F_SETLKW) underneath, what mutt and Postfix use
        Process p = new ProcessBuilder(python.toString(), "-c", "import fcntl,sys\n"
                + "f=open(sys.argv[1],'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()\n",
                inbox().toString()).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("locked", out.readLine());
            IOException e = assertThrows(IOException.class,
                    () -> store.append(loc, null, simple("blocked"), Set.of(), null));
            assertTrue(e.getMessage().contains("fcntl"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("spool/alice.lock")), "our dotlock must be given back");
            assertFalse(Files.readString(inbox()).contains("Subject: blocked"));
        } finally {
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        store.append(loc, null, simple("after"), Set.of(), null);
        assertTrue(Files.readString(inbox()).contains("Subject: after"));
    }

    @Test
    void badConfigurationKeepsThePreviousOne() {
        MboxStore store = TestMessages.store();
        store.configure(Map.of("mbox_lock_timeout", "7s"));
        store.configure(Map.of("mbox_lock_timeout", "soon", "mbox_dotlock_change_timeout", "1s"));
        assertEquals(Duration.ofSeconds(7), store.env().lockTimeout());
        assertEquals(Duration.ofMinutes(5), store.env().staleAfter());
    }

    @Test
    void listenersHearDeliveriesAndChangesUntilTheMailboxCloses() throws IOException {
        MboxStore store = TestMessages.store();
        MailboxLocation loc = TestMessages.location(dir);
        List<String> heard = new CopyOnWriteArrayList<>();
        Mailbox mb = store.open(loc);
        mb.addListener(heard::add);
        store.append(loc, null, simple("a"), Set.of(), null);
        store.append(loc, "Sent", simple("b"), Set.of(), null);
        try (Folder f = mb.folder("INBOX")) {
            f.delete(List.of(1L));
        }
        assertEquals(List.of("INBOX", "Sent", "INBOX"), heard);
        mb.close();
        store.append(loc, null, simple("c"), Set.of(), null);
        assertEquals(3, heard.size());
    }

    @Test
    void readsAnMboxWrittenByMuttWithStatusHeaders() throws IOException {
        Files.createDirectories(inbox().getParent());
        Files.writeString(inbox(), "From carol@example.org Mon Jan  1 10:00:00 2024\n"
                + "Subject: one\nStatus: RO\nX-Status: A\n\nFirst\n>From quoted\n\n"
                + "From dave@example.org Tue Jan  2 11:00:00 2024\nSubject: two\n\nSecond\n\n",
                StandardCharsets.ISO_8859_1);
        try (Mailbox mb = TestMessages.store().open(TestMessages.location(dir)); Folder f = mb.folder("INBOX")) {
            List<MessageInfo> list = f.messages();
            assertEquals(2, list.size());
            assertEquals(Set.of("\\Seen", "\\Answered"), list.get(0).flags());
            assertEquals(Instant.parse("2024-01-01T10:00:00Z"), list.get(0).internalDate());
            assertEquals("Subject: one\r\n\r\nFirst\r\nFrom quoted\r\n", read(f.open(list.get(0).uid())));
            assertEquals("Subject: one\r\n\r\nFirst\r\nFrom quoted\r\n".length(), list.get(0).size());
            assertEquals("Subject: two\r\n\r\nSecond\r\n", read(f.open(list.get(1).uid())));
        }
    }

    @Test
    void mailutilsListsTheSubjectsWeWrote() throws Exception {
        MboxStore store = new MboxStore(new MboxRegistry(), java.time.ZoneId.systemDefault(), Clock.systemUTC());
        MailboxLocation loc = TestMessages.location(dir);
        Map<String, String> subjects = new HashMap<>();
        for (String s : List.of("interop-one", "interop-two", "From the start")) {
            subjects.put(s, s);
            store.append(loc, null, TestMessages.content(TestMessages.crlf("Return-Path: <bob@example.org>",
                    "From: bob@example.org", "To: alice@example.org", "Subject: " + s,
                    "Date: Tue, 24 Nov 2026 05:13:52 +0000", "", "From a line that needs quoting", "bye")),
                    Set.of(), null);
        }
        Path mail = Path.of("/usr/bin/mail");
        Assumptions.assumeTrue(Files.isExecutable(mail), "mailutils' mail is not installed");
        ProcessBuilder pb = new ProcessBuilder(mail.toString(), "-N", "-H", "-f", inbox().toString());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("MAILRC", "/dev/null");
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        for (String s : subjects.keySet()) assertTrue(out.contains(s), "mail -H did not list " + s + ":\n" + out);
        assertEquals(3, out.lines().filter(l -> l.contains("bob@example.org")).count(), out);
    }
}
