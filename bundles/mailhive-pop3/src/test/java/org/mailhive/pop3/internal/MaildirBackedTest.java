package org.mailhive.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.store.maildir.internal.MaildirStore;

/** The listener over the real Maildir store: what delivery wrote is what POP3 gives, and DELE removes files. */
class MaildirBackedTest {

    private static final String M1 = "From: x@localhost\r\nSubject: maildir one\r\n\r\nbody\r\n.dot line\r\n.\r\n";
    private static final String M2 = "Subject: maildir two\r\n\r\nsecond\r\n";

    @TempDir
    Path tmp;

    private Path maildir;
    private MaildirStore store;
    private Pop3Listener listener;
    private final MailboxLocks locks = new MailboxLocks();
    private int port;

    private static MessageContent content(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(b);
            }

            @Override
            public long size() {
                return b.length;
            }
        };
    }

    @BeforeEach
    void start() throws IOException {
        maildir = tmp.resolve("alice/Maildir");
        MailboxLocation location = new MailboxLocation("maildir", maildir.toString(), Map.of());
        store = new MaildirStore();
        store.append(location, MailboxStore.INBOX, content(M1), Set.of(), Instant.now());
        store.append(location, MailboxStore.INBOX, content(M2), Set.of(), Instant.now());
        listener = new Pop3Listener(Fakes.AUTH, user -> Optional.of(location), locks);
        listener.bindStore(store, Map.of(MailboxStore.FORMAT, "maildir", "service.id", 3L));
        Map<String, Object> m = new HashMap<>();
        m.put("bind", "127.0.0.1");
        m.put("port", "0");
        listener.configure(m);
        port = listener.localPort();
    }

    @AfterEach
    void stop() {
        listener.deactivate();
    }

    private Pop3Client login() throws Exception {
        Pop3Client c = new Pop3Client(port, false);
        assertTrue(c.line().startsWith("+OK"));
        c.command("USER alice@localhost");
        assertEquals("+OK Logged in.\r\n", c.command("PASS secret1"));
        return c;
    }

    private long messageFiles() throws IOException {
        long n = 0;
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                n += files.count();
            }
        }
        return n;
    }

    @Test
    void retrGivesTheDeliveredBytesAndDeleQuitRemovesTheFile() throws Exception {
        String uidOfSecond;
        try (Pop3Client c = login()) {
            assertEquals("+OK 2 " + (M1.length() + M2.length()) + "\r\n", c.command("STAT"));
            assertEquals("+OK " + M1.length() + " octets\r\n", c.command("RETR 1"));
            assertArrayEquals(M1.getBytes(StandardCharsets.UTF_8), Pop3Client.unstuff(c.body()));
            assertEquals("+OK\r\nSubject: maildir two\r\n\r\n.\r\n", c.multi("TOP 2 0"));
            uidOfSecond = c.command("UIDL 2").substring("+OK 2 ".length());
            c.command("DELE 1");
        }
        // dropped without QUIT: nothing deleted
        Pop3ListenerSocketTest.await(() -> !locks.isLocked("alice@localhost"), "lock released after the drop");
        assertEquals(2, messageFiles());
        try (Pop3Client c = login()) {
            assertEquals(uidOfSecond, c.command("UIDL 2").substring("+OK 2 ".length()));
            c.command("DELE 1");
            assertEquals("+OK Logging out, messages deleted.\r\n", c.command("QUIT"));
        }
        assertEquals(1, messageFiles());
        try (Pop3Client c = login()) {
            assertEquals("+OK 1 " + uidOfSecond, c.command("UIDL 1"));
            assertEquals("+OK " + M2.length() + " octets\r\n", c.command("RETR 1"));
            assertEquals(M2 + ".\r\n", c.bodyText());
            assertFalse(c.command("RETR 2").startsWith("+OK"));
        }
    }

    @Test
    void sequentialRetrsAreAnsweredFromReadAheadWithTheSameBytes() throws Exception {
        MailboxLocation location = new MailboxLocation("maildir", maildir.toString(), Map.of());
        List<String> sent = new java.util.ArrayList<>(List.of(M1, M2));
        for (int i = 3; i <= 60; i++) {
            // every fifth one has a line that must be dot-stuffed; one is too large to read ahead
            String body = i == 30 ? "x".repeat(Prefetch.MAX_MESSAGE + 10) + "\r\n"
                    : "line " + i + "\r\n" + (i % 5 == 0 ? ".leading dot\r\n" : "") + "end\r\n";
            String m = "Subject: number " + i + "\r\n\r\n" + body;
            store.append(location, MailboxStore.INBOX, content(m), Set.of(), Instant.now());
            sent.add(m);
        }
        long inlineBefore = Pop3Session.INLINE_ANSWERS.get();
        long heldBefore = Prefetch.serverBytes();
        try (Pop3Client c = login()) {
            for (int n = 1; n <= sent.size(); n++) {
                String m = sent.get(n - 1);
                assertEquals("+OK " + m.length() + " octets\r\n", c.command("RETR " + n), "RETR " + n);
                assertArrayEquals(m.getBytes(StandardCharsets.UTF_8), Pop3Client.unstuff(c.body()), "RETR " + n);
                if (n == 45) {
                    // out of order and in-memory commands between: same answers either way
                    assertEquals("+OK " + sent.get(4).length() + " octets\r\n", c.command("RETR 5"));
                    assertArrayEquals(sent.get(4).getBytes(StandardCharsets.UTF_8), Pop3Client.unstuff(c.body()));
                    assertEquals("+OK 46 " + sent.get(45).length() + "\r\n", c.command("LIST 46"));
                    assertEquals("+OK Marked to be deleted.\r\n", c.command("DELE 47"));
                    assertEquals("-ERR Message is deleted\r\n", c.command("RETR 47"));
                    n = 47;
                }
            }
            assertEquals("+OK Logging out, messages deleted.\r\n", c.command("QUIT"));
        }
        long inline = Pop3Session.INLINE_ANSWERS.get() - inlineBefore;
        // the first RETR, the large one and the one after it go to the worker, and so does a RETR that
        // arrives while the worker reads ahead (how many depends on timing): most are answered inline
        assertTrue(inline >= 30, "answered on the I/O thread: " + inline);
        assertEquals(59, messageFiles());
        Pop3ListenerSocketTest.await(() -> Prefetch.serverBytes() == heldBefore, "read-ahead memory given back");
    }
}
