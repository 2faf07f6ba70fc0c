package org.mailhive.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailhive.delivery.internal.Fixtures.delivered;
import static org.mailhive.delivery.internal.Fixtures.message;
import static org.mailhive.delivery.internal.Fixtures.read;
import static org.mailhive.delivery.internal.Fixtures.request;
import static org.mailhive.delivery.internal.Fixtures.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.FolderInfo;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.store.MessageEnvelope;
import org.mailhive.api.store.MessageHeaders;
import org.mailhive.api.store.MessageInfo;
import org.mailhive.api.users.MailUser;
import org.mailhive.store.maildir.internal.MaildirStore;
import org.mailhive.store.mbox.internal.MboxStores;

/**
 * What local delivery and the mail readers expect of every mailbox format, run against both real
 * stores: messages go in through {@link LocalDelivery} and come back through the {@link Mailbox}
 * SPI. "Restart" means a new store instance that shares nothing in memory with the old one.
 */
class MailboxStoreContractTest {

    /** One store under test: its format, a mail_location for it, and how to start it afresh. */
    record Kind(String format, String location, Supplier<MailboxStore> fresh) {
        @Override
        public String toString() {
            return format;
        }
    }

    static Stream<Kind> stores() {
        return Stream.of(new Kind("maildir", "maildir:${mailhive.data}/mail/%d/%n/Maildir", MaildirStore::new),
                new Kind("mbox", "mbox:${mailhive.data}/mail/%d/%n:INBOX=${mailhive.data}/spool/%u",
                        MboxStores::fresh));
    }

    private static final String ALICE = "alice@example.org";

    @TempDir
    Path data;

    private final Map<String, MailUser> users = new HashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private LocalDelivery agent(Kind kind, MailboxStore store, Map<String, String> config) {
        users.putIfAbsent(ALICE, new MailUser(ALICE, data.resolve("home/alice").toString(), Map.of()));
        LocalDelivery agent = new LocalDelivery();
        agent.setUsers(name -> Optional.ofNullable(users.get(name)));
        Map<String, Object> props = new HashMap<>(config);
        props.put("mail_location", kind.location());
        agent.apply(data.toString(), props);
        agent.bindStore(store, Map.of(MailboxStore.FORMAT, kind.format(), "service.id", 1L));
        return agent;
    }

    private MailboxLocation location(LocalDelivery agent) {
        return agent.locate(users.get(ALICE)).orElseThrow();
    }

    private Mailbox mailbox(MailboxStore store, LocalDelivery agent) throws IOException {
        Mailbox mb = store.open(location(agent));
        open.add(mb);
        return mb;
    }

    private Folder folder(Mailbox mb, String name) throws IOException {
        Folder f = mb.folder(name);
        open.add(f);
        return f;
    }

    private static RecipientResult deliver(LocalDelivery agent, String subject) {
        return agent.deliver(request(ALICE, message(subject))).get(0);
    }

    private static List<Long> uids(Folder f) throws IOException {
        return f.messages().stream().map(MessageInfo::uid).toList();
    }

    private static Map<Long, Set<String>> flags(Folder f) throws IOException {
        Map<Long, Set<String>> m = new HashMap<>();
        for (MessageInfo i : f.messages()) m.put(i.uid(), i.flags());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void deliveredBytesComeBackThroughTheStore(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        assertEquals(RecipientResult.sent(MailAddress.parse(ALICE), "local", "delivered to " + kind.format()),
                deliver(agent, "first"));
        Folder inbox = folder(mailbox(store, agent), "INBOX");
        List<MessageInfo> list = inbox.messages();
        assertEquals(1, list.size());
        byte[] expected = delivered(ALICE, "first");
        assertEquals(text(expected), text(read(inbox.open(list.get(0).uid()))));
        assertArrayEquals(expected, read(inbox.open(list.get(0).uid())));
        assertEquals(expected.length, list.get(0).size(), "size with CRLF line endings");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void headersAreTheMessageUpToTheEmptyLine(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        deliver(agent, "one");
        deliver(agent, "two");
        List<Long> u;
        try (Mailbox mb = store.open(location(agent)); Folder inbox = mb.folder("INBOX")) {
            u = uids(inbox);
            MessageHeaders h = inbox.headers(u.get(1));
            assertArrayEquals(headerPart(delivered(ALICE, "two")), h.raw());
            assertFalse(h.truncated());
            assertEquals("two \u00e9t\u00e9", h.get("subject"));
            assertEquals(List.of(ALICE), h.all("Delivered-To"));
            MessageEnvelope e = h.envelope();
            assertEquals("Bob <bob@example.net>", e.from());
            assertEquals(e.from(), e.sender(), "Sender defaults to From");
            assertEquals(e.from(), e.replyTo(), "Reply-To defaults to From");
            assertEquals("<two@example.net>", e.messageId());
            assertEquals(null, e.date());
            inbox.setFlags(List.of(u.get(0)), Set.of("\\Seen", "kept"), FlagMode.ADD);
            assertArrayEquals(headerPart(delivered(ALICE, "one")), inbox.headers(u.get(0)).raw(),
                    "a flag change does not change the header");
            assertThrows(NoSuchFileException.class, () -> inbox.headers(999_999L));
        }
        Folder inbox = folder(mailbox(kind.fresh().get(), agent), "INBOX");
        assertArrayEquals(headerPart(delivered(ALICE, "one")), inbox.headers(u.get(0)).raw(), "after a restart");
        assertEquals(List.of(u.get(0)), inbox.delete(List.of(u.get(0))));
        assertThrows(NoSuchFileException.class, () -> inbox.headers(u.get(0)), "deleted");
        assertArrayEquals(headerPart(delivered(ALICE, "two")), inbox.headers(u.get(1)).raw());
    }

    /** The bytes up to and including the first empty line. */
    private static byte[] headerPart(byte[] message) {
        String s = new String(message, StandardCharsets.ISO_8859_1);
        return s.substring(0, s.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void uidsAndUidValiditySurviveRestart(Kind kind) throws IOException {
        MailboxStore first = kind.fresh().get();
        LocalDelivery agent = agent(kind, first, Map.of());
        for (String s : List.of("a", "b", "c")) assertEquals(DeliveryStatus.SENT, deliver(agent, s).status());
        long validity;
        List<Long> before;
        long next;
        try (Mailbox mb = first.open(location(agent)); Folder inbox = mb.folder("INBOX")) {
            validity = inbox.uidValidity();
            before = uids(inbox);
            next = inbox.uidNext();
        }
        assertEquals(3, new HashSet<>(before).size());
        assertTrue(next > before.get(2), "uidNext beyond every UID");

        MailboxStore restarted = kind.fresh().get();
        LocalDelivery again = agent(kind, restarted, Map.of());
        Folder inbox = folder(mailbox(restarted, again), "INBOX");
        assertEquals(validity, inbox.uidValidity());
        assertEquals(before, uids(inbox));
        assertArrayEquals(delivered(ALICE, "b"), read(inbox.open(before.get(1))));
        assertEquals(DeliveryStatus.SENT, deliver(again, "d").status());
        List<Long> after = uids(inbox);
        assertEquals(4, after.size());
        assertEquals(before, after.subList(0, 3));
        assertTrue(after.get(3) >= next, "a UID is never reused: " + after + " next was " + next);
        assertArrayEquals(delivered(ALICE, "d"), read(inbox.open(after.get(3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void systemFlagsAndKeywordsSurviveRestart(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        deliver(agent, "one");
        deliver(agent, "two");
        deliver(agent, "three");
        List<Long> u;
        try (Mailbox mb = store.open(location(agent)); Folder inbox = mb.folder("INBOX")) {
            u = uids(inbox);
            inbox.setFlags(List.of(u.get(0)), Set.of("\\Seen", "\\Flagged", "project"), FlagMode.ADD);
            inbox.setFlags(List.of(u.get(0)), Set.of("\\Flagged"), FlagMode.REMOVE);
            inbox.setFlags(List.of(u.get(1)), Set.of("\\Answered", "\\Draft", "$Label1"), FlagMode.REPLACE);
            inbox.setFlags(List.of(u.get(1), 999_999L), Set.of("\\Seen"), FlagMode.ADD);
            assertEquals(Set.of("\\Seen", "project"), flags(inbox).get(u.get(0)));
        }
        Folder inbox = folder(mailbox(kind.fresh().get(), agent), "INBOX");
        Map<Long, Set<String>> f = flags(inbox);
        assertEquals(Set.of("\\Seen", "project"), f.get(u.get(0)));
        assertEquals(Set.of("\\Answered", "\\Draft", "$Label1", "\\Seen"), f.get(u.get(1)));
        assertEquals(Set.of(), f.get(u.get(2)));
        assertArrayEquals(delivered(ALICE, "two"), read(inbox.open(u.get(1))), "flags do not change the message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void foldersCreateListRenameDeleteSubscribe(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        deliver(agent, "inbox");
        try (Mailbox mb = store.open(location(agent))) {
            mb.createFolder("Sent");
            mb.createFolder("Drafts");
            mb.createFolder("Archive/2024");
            mb.subscribe("Sent", true);
            mb.subscribe("Archive/2024", true);
            try (Folder archive = mb.folder("Archive/2024")) {
                archive.append(Fixtures.content(delivered(ALICE, "old")), Set.of("\\Seen"), null);
            }
            List<String> names = mb.folders().stream().map(FolderInfo::name).toList();
            assertEquals("INBOX", names.get(0), names.toString());
            assertTrue(names.containsAll(List.of("Sent", "Drafts", "Archive/2024")), names.toString());
            // both stores: Archive was never created, so it is listed as a level that holds no messages
            assertEquals(List.of(new FolderInfo("INBOX", false), new FolderInfo("Archive", false, false, true),
                    new FolderInfo("Archive/2024", true), new FolderInfo("Drafts", false), new FolderInfo("Sent", true)),
                    mb.folders());
            mb.renameFolder("Archive/2024", "Archive/2025");
            mb.deleteFolder("Sent");
            assertThrows(Exception.class, () -> mb.deleteFolder("INBOX"));
        }
        Mailbox mb = mailbox(kind.fresh().get(), agent);
        Map<String, Boolean> listed = new HashMap<>();
        for (FolderInfo fi : mb.folders()) listed.put(fi.name(), fi.subscribed());
        assertEquals("INBOX", mb.folders().get(0).name());
        assertFalse(listed.containsKey("Sent"), listed.toString());
        assertFalse(listed.containsKey("Archive/2024"), listed.toString());
        assertEquals(Boolean.FALSE, listed.get("Drafts"), listed.toString());
        assertTrue(listed.containsKey("Archive/2025"), listed.toString());
        mb.subscribe("Drafts", true);
        Folder archive = folder(mb, "Archive/2025");
        List<MessageInfo> moved = archive.messages();
        assertEquals(1, moved.size());
        assertTrue(moved.get(0).hasFlag("\\Seen"));
        assertArrayEquals(delivered(ALICE, "old"), read(archive.open(moved.get(0).uid())));
        assertEquals(1, folder(mb, "INBOX").messages().size(), "INBOX untouched");

        Map<String, Boolean> again = new HashMap<>();
        for (FolderInfo fi : mailbox(kind.fresh().get(), agent).folders()) again.put(fi.name(), fi.subscribed());
        assertEquals(Boolean.TRUE, again.get("Drafts"), again.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void twentyConcurrentDeliveriesLoseNothing(Kind kind) throws Exception {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RecipientResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String subject = "c" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return deliver(agent, subject);
                }));
            }
            go.countDown();
            for (Future<RecipientResult> r : results) {
                assertEquals(DeliveryStatus.SENT, r.get(60, TimeUnit.SECONDS).status());
            }
        } finally {
            pool.shutdownNow();
        }
        Folder inbox = folder(mailbox(kind.fresh().get(), agent), "INBOX");
        List<MessageInfo> list = inbox.messages();
        assertEquals(20, list.size());
        Set<String> subjects = new TreeSet<>();
        long last = 0;
        for (MessageInfo m : list) {
            assertTrue(m.uid() > last, "UIDs strictly increasing");
            last = m.uid();
            String msg = text(read(inbox.open(m.uid())));
            String subject = msg.replaceAll("(?s).*\r\nSubject: (c\\d+) .*", "$1");
            subjects.add(subject);
            assertEquals(text(delivered(ALICE, subject)), msg);
        }
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 20; i++) expected.add("c" + i);
        assertEquals(expected, subjects);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void deleteAndExpunge(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        for (String s : List.of("x", "y", "z")) deliver(agent, s);
        List<Long> u;
        try (Mailbox mb = store.open(location(agent)); Folder inbox = mb.folder("INBOX")) {
            u = uids(inbox);
            inbox.setFlags(List.of(u.get(1)), Set.of("\\Deleted"), FlagMode.ADD);
            assertEquals(List.of(u.get(1)), inbox.expunge());
            assertEquals(List.of(), inbox.expunge(), "nothing left to expunge");
            assertEquals(List.of(u.get(0)), inbox.delete(List.of(u.get(0), 999_999L)));
            assertEquals(List.of(u.get(2)), uids(inbox));
        }
        Folder inbox = folder(mailbox(kind.fresh().get(), agent), "INBOX");
        assertEquals(List.of(u.get(2)), uids(inbox));
        assertArrayEquals(delivered(ALICE, "z"), read(inbox.open(u.get(2))));
        assertThrows(NoSuchFileException.class, () -> read(inbox.open(u.get(0))));
        assertEquals(delivered(ALICE, "z").length, inbox.totalSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void copyToAnotherFolder(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        LocalDelivery agent = agent(kind, store, Map.of());
        deliver(agent, "p");
        deliver(agent, "q");
        Mailbox mb = mailbox(store, agent);
        mb.createFolder("Archive");
        Folder inbox = folder(mb, "INBOX");
        List<Long> u = uids(inbox);
        inbox.setFlags(List.of(u.get(0)), Set.of("\\Seen", "kept"), FlagMode.ADD);
        Map<Long, Long> copied = inbox.copyTo(u, "Archive");
        assertEquals(Set.copyOf(u), copied.keySet());
        assertEquals(u, uids(inbox), "the source keeps its messages");

        Folder archive = folder(mailbox(kind.fresh().get(), agent), "Archive");
        Map<Long, Set<String>> f = flags(archive);
        assertEquals(2, f.size());
        assertEquals(Set.of("\\Seen", "kept"), f.get(copied.get(u.get(0))));
        assertArrayEquals(delivered(ALICE, "p"), read(archive.open(copied.get(u.get(0)))));
        assertArrayEquals(delivered(ALICE, "q"), read(archive.open(copied.get(u.get(1)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void quotaDefersThenBouncesWhenConfigured(Kind kind) throws IOException {
        MailboxStore store = kind.fresh().get();
        long size = delivered(ALICE, "q0").length;
        long limit = size * 2 + size / 2;
        LocalDelivery agent = agent(kind, store, Map.of("quota_rule", "*:storage=" + limit + "B"));
        assertEquals(DeliveryStatus.SENT, deliver(agent, "q0").status());
        OptionalLong remaining = agent.quotaCheck().remainingQuota(users.get(ALICE));
        long usage;
        try (Mailbox mb = store.open(location(agent))) {
            usage = mb.usage();
        }
        assertTrue(usage >= size - 20 && usage <= size + 200, "usage " + usage + " for one message of " + size);
        assertEquals(OptionalLong.of(limit - usage), remaining);
        assertEquals(DeliveryStatus.SENT, deliver(agent, "q1").status());

        RecipientResult full = deliver(agent, "q2");
        assertEquals(DeliveryStatus.DEFERRED, full.status(), full.toString());
        assertEquals(EnhancedStatus.of(4, 2, 2), full.dsn());
        assertTrue(full.reason().startsWith("mailbox full"), full.reason());

        agent.apply(data.toString(), Map.of("mail_location", kind.location(), "quota_rule", "*:storage=" + limit + "B",
                "quota_full_tempfail", "no"));
        RecipientResult bounced = deliver(agent, "q3");
        assertEquals(DeliveryStatus.BOUNCED, bounced.status());
        assertEquals(EnhancedStatus.of(5, 2, 2), bounced.dsn());
        long left = agent.quotaCheck().remainingQuota(users.get(ALICE)).orElseThrow();
        assertTrue(left >= 0 && left < size, "room left " + left + " is less than a message of " + size);

        // the user's own rule wins over the configured one
        users.put(ALICE, new MailUser(ALICE, "", Map.of("quota_rule", "*:storage=10M")));
        assertEquals(DeliveryStatus.SENT, deliver(agent, "q4").status());
        // a broken user rule falls back to the configured one rather than to "unlimited"
        users.put(ALICE, new MailUser(ALICE, "", Map.of("quota_rule", "storage=lots")));
        assertEquals(DeliveryStatus.BOUNCED, deliver(agent, "q5").status());

        try (Mailbox mb = store.open(location(agent)); Folder inbox = mb.folder("INBOX")) {
            List<String> got = new ArrayList<>();
            for (MessageInfo m : inbox.messages()) got.add(text(read(inbox.open(m.uid()))));
            assertEquals(List.of(text(delivered(ALICE, "q0")), text(delivered(ALICE, "q1")),
                    text(delivered(ALICE, "q4"))), got, "nothing over quota was stored");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void unlimitedByDefault(Kind kind) {
        LocalDelivery agent = agent(kind, kind.fresh().get(), Map.of());
        for (int i = 0; i < 3; i++) assertEquals(DeliveryStatus.SENT, deliver(agent, "u" + i).status());
        assertEquals(OptionalLong.empty(), agent.quotaCheck().remainingQuota(users.get(ALICE)));
        users.put(ALICE, new MailUser(ALICE, "", Map.of("quota_rule", "*:storage=1B")));
        assertEquals(OptionalLong.of(0), agent.quotaCheck().remainingQuota(users.get(ALICE)));
        RecipientResult r = deliver(agent, "u3");
        assertEquals(EnhancedStatus.of(4, 2, 2), r.dsn());
    }
}
