package org.mailhive.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.mailhive.store.maildir.internal.MaildirStore;

class LocalDeliveryTest {

    @TempDir
    Path data;

    private static final byte[] MESSAGE = ("From: bob@example.net\r\nSubject: hi \u00e9\r\n\r\nline one\r\n"
            + "line two\r\n").getBytes(StandardCharsets.UTF_8);

    private final Map<String, MailUser> directory = new HashMap<>();
    private final UserDirectory users = name -> Optional.ofNullable(directory.get(name));
    private LocalDelivery agent;

    @BeforeEach
    void setUp() {
        agent = new LocalDelivery();
        agent.setUsers(users);
        agent.apply(data.toString(), Map.of());
        agent.bindStore(new MaildirStore(), Map.of(MailboxStore.FORMAT, "maildir", "service.id", 1L));
        directory.put("alice@example.org", new MailUser("alice@example.org", "", Map.of()));
    }

    static MessageContent bytes(byte[] b) {
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

    private static DeliveryRequest request(String sender, String... rcpts) {
        MailAddress from = sender.isEmpty() ? MailAddress.NULL_SENDER : MailAddress.parse(sender);
        return request(from, Stream.of(rcpts).map(MailAddress::parse).toArray(MailAddress[]::new));
    }

    private static DeliveryRequest request(MailAddress from, MailAddress... rcpts) {
        List<Resolution> res = new ArrayList<>();
        List<Recipient> envRcpts = new ArrayList<>();
        for (MailAddress a : rcpts) {
            res.add(new Resolution(a, AddressClass.LOCAL, "local", ""));
            envRcpts.add(Recipient.of(a));
        }
        return new DeliveryRequest(new QueueId("3F2A9C1B07"), new Envelope(from, envRcpts, Map.of()), res,
                bytes(MESSAGE));
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static byte[] lf(byte[] crlf) {
        return new String(crlf, StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deliversToMaildirWithDeliveryHeaders() throws IOException {
        List<RecipientResult> r = agent.deliver(request("bob@example.net", "Alice@Example.org"));
        assertEquals(List.of(RecipientResult.sent(MailAddress.parse("Alice@example.org"), "local",
                "delivered to maildir")), r);
        List<Path> delivered = files(data.resolve("mail/example.org/alice/Maildir/new"));
        assertEquals(1, delivered.size());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("Return-Path: <bob@example.net>\nDelivered-To: Alice@example.org\n"
                .getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(lf(MESSAGE));
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(delivered.get(0)));
    }

    @Test
    void nullSenderGivesEmptyReturnPath() throws IOException {
        agent.deliver(request("", "alice@example.org"));
        Path f = files(data.resolve("mail/example.org/alice/Maildir/new")).get(0);
        assertTrue(Files.readString(f).startsWith("Return-Path: <>\nDelivered-To: alice@example.org\nFrom: "));
    }

    @Test
    void unknownUserBouncesOthersStillDelivered() throws IOException {
        List<RecipientResult> r = agent.deliver(request("bob@example.net", "nobody@example.org", "alice@example.org"));
        assertEquals(RecipientResult.bounced(MailAddress.parse("nobody@example.org"), EnhancedStatus.of(5, 1, 1),
                "local", "unknown user: \"nobody\""), r.get(0));
        assertEquals(DeliveryStatus.SENT, r.get(1).status());
        assertEquals(1, files(data.resolve("mail/example.org/alice/Maildir/new")).size());
        assertFalse(Files.exists(data.resolve("mail/example.org/nobody")));
    }

    @Test
    void rootAlwaysHasAMailboxSoPostmasterMailIsNeverBounced() throws IOException {
        List<RecipientResult> r = agent.deliver(request("", "root@example.org"));
        assertEquals(DeliveryStatus.SENT, r.get(0).status(), r.toString());
        assertEquals(1, files(data.resolve("mail/example.org/root/Maildir/new")).size());
        directory.put("root@example.org", new MailUser("root@example.org", "", Map.of("mail", "maildir:" + data
                .resolve("elsewhere"))));
        agent.deliver(request("", "root@example.org"));
        assertEquals(1, files(data.resolve("elsewhere/new")).size(), "a configured root user wins");
    }

    @Test
    void aFullMailboxIsRefusedAtRcptWith452() throws IOException {
        directory.put("bob@example.org", new MailUser("bob@example.org", "", Map.of()));
        agent.apply(data.toString(), Map.of("quota_rule", "*:storage=100B"));
        org.mailhive.api.smtp.SmtpContext session = null;
        assertEquals(org.mailhive.api.smtp.Verdict.DUNNO, agent.onRecipient(session, Recipient.of(MailAddress.parse(
                "alice@example.org"))), "empty mailbox: room left");
        directory.put("alice@example.org", new MailUser("alice@example.org", "", Map.of("quota_rule", "*:storage=1M")));
        assertEquals(DeliveryStatus.SENT, agent.deliver(request("bob@example.net", "alice@example.org")).get(0).status());
        directory.put("alice@example.org", new MailUser("alice@example.org", "", Map.of()));
        org.mailhive.api.smtp.Verdict v = agent.onRecipient(session, Recipient.of(MailAddress.parse("alice+tag@example.org")));
        assertEquals(org.mailhive.api.smtp.Verdict.Kind.REJECT, v.kind(), "over the 100 bytes the configuration allows");
        assertEquals(452, v.reply().code());
        assertEquals(EnhancedStatus.of(4, 2, 2), v.reply().status());
        assertEquals(org.mailhive.api.smtp.Verdict.DUNNO, agent.onRecipient(session, Recipient.of(MailAddress.parse(
                "bob@example.org"))));
        assertEquals(org.mailhive.api.smtp.Verdict.DUNNO, agent.onRecipient(session, Recipient.of(MailAddress.parse(
                "nobody@example.org"))), "unknown users are another check's business");
    }

    @Test
    void noStoreOrNoDirectoryDefers() {
        LocalDelivery noStore = new LocalDelivery();
        noStore.setUsers(users);
        noStore.apply(data.toString(), Map.of());
        RecipientResult r = noStore.deliver(request("bob@example.net", "alice@example.org")).get(0);
        assertEquals(RecipientResult.deferred(MailAddress.parse("alice@example.org"), EnhancedStatus.of(4, 3, 0),
                "local", "mailbox format maildir not available"), r);

        LocalDelivery noUsers = new LocalDelivery();
        noUsers.apply(data.toString(), Map.of());
        RecipientResult r2 = noUsers.deliver(request("bob@example.net", "alice@example.org")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, r2.status());
        assertEquals(EnhancedStatus.of(4, 3, 0), r2.dsn());
    }

    @Test
    void storeLeavingAndComingBack() {
        MaildirStore store = new MaildirStore();
        LocalDelivery a = new LocalDelivery();
        a.setUsers(users);
        a.apply(data.toString(), Map.of());
        a.bindStore(store, Map.of(MailboxStore.FORMAT, "maildir", "service.id", 7L));
        a.unbindStore(store, Map.of(MailboxStore.FORMAT, "maildir", "service.id", 7L));
        assertEquals(DeliveryStatus.DEFERRED, a.deliver(request("b@x.org", "alice@example.org")).get(0).status());
        a.bindStore(store, Map.of(MailboxStore.FORMAT, "maildir", "service.id", 8L));
        assertEquals(DeliveryStatus.SENT, a.deliver(request("b@x.org", "alice@example.org")).get(0).status());
    }

    @Test
    void higherRankedStoreWins() {
        List<String> used = new ArrayList<>();
        MailboxStore low = recordingStore("low", used);
        MailboxStore high = recordingStore("high", used);
        agent.bindStore(low, Map.of(MailboxStore.FORMAT, "mbox", "service.id", 10L));
        agent.bindStore(high, Map.of(MailboxStore.FORMAT, "mbox", "service.id", 11L, "service.ranking", 5));
        directory.put("carol@example.org", new MailUser("carol@example.org", "/home/carol",
                Map.of("mail", "mbox:~/mail:INBOX=/var/mail/%n")));
        RecipientResult r = agent.deliver(request("b@x.org", "carol@example.org")).get(0);
        assertEquals("delivered to mbox", r.reason());
        assertEquals(List.of("high mbox:/home/carol/mail:INBOX=/var/mail/carol"), used);
    }

    /** A store fake for delivery, which never opens mailboxes. */
    @FunctionalInterface
    interface AppendOnlyStore extends MailboxStore {
        @Override
        default Mailbox open(MailboxLocation location) {
            throw new UnsupportedOperationException("append-only test store");
        }
    }

    private static MailboxStore recordingStore(String name, List<String> used) {
        return (AppendOnlyStore) (MailboxLocation location, String folder, MessageContent content, Set<String> flags,
                Instant date) -> {
            used.add(name + " " + location);
            return new AppendResult(folder, "1");
        };
    }

    @Test
    void perUserMailFieldOverridesLocation() throws IOException {
        Path home = data.resolve("home/dave");
        directory.put("dave@example.org", new MailUser("dave@example.org", home.toString(),
                Map.of("mail", "maildir:~/Mail/%u")));
        assertEquals(DeliveryStatus.SENT, agent.deliver(request("b@x.org", "dave@example.org")).get(0).status());
        assertEquals(1, files(home.resolve("Mail/dave@example.org/new")).size());
        assertFalse(Files.exists(data.resolve("mail/example.org/dave")));
    }

    @Test
    void configuredLocationAndBadValues() throws IOException {
        agent.apply(data.toString(), Map.of("mail_location", "maildir:${mailhive.data}/vmail/%d/%n"));
        agent.deliver(request("b@x.org", "alice@example.org"));
        assertEquals(1, files(data.resolve("vmail/example.org/alice/new")).size());
        agent.apply(data.toString(), Map.of("mail_location", "maildir:relative/%n"));
        agent.apply(data.toString(), Map.of("mail_location", "maildir:/x/%q"));
        agent.apply(null, Map.of("mail_location", "maildir:${mailhive.data}/other"));
        agent.deliver(request("b@x.org", "alice@example.org"));
        assertEquals(2, files(data.resolve("vmail/example.org/alice/new")).size(), "bad values keep the last one");
    }

    @Test
    void homelessUserWithTildeLocationDefers() {
        directory.put("erin@example.org", new MailUser("erin@example.org", "", Map.of("mail", "maildir:~/Maildir")));
        RecipientResult r = agent.deliver(request("b@x.org", "erin@example.org")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(EnhancedStatus.of(4, 3, 0), r.dsn());
    }

    @Test
    void hostileNamesAreRejected() throws IOException {
        // a directory that answers for anything: only the name check stands between it and the file system
        UserDirectory everyone = name -> Optional.of(new MailUser(name, "", Map.of()));
        agent.setUsers(everyone);
        List<MailAddress> hostile = List.of(MailAddress.parse("\"../../etc\"@example.org"),
                MailAddress.parse("a/b@example.org"), MailAddress.of("x\u0000y", "example.org"),
                MailAddress.of("x\ny", "example.org"), MailAddress.of("alice", "../../etc"),
                MailAddress.of("alice", "a/b"), MailAddress.of("..", "example.org"));
        for (MailAddress addr : hostile) {
            RecipientResult r = agent.deliver(request(MailAddress.parse("b@x.org"), addr)).get(0);
            assertEquals(RecipientResult.bounced(addr, EnhancedStatus.of(5, 1, 3), "local", r.reason()), r,
                    addr.toString());
            assertTrue(r.reason().startsWith("bad address syntax: "), r.reason());
        }
        // a user entry whose name is hostile, reached through an innocent address
        agent.setUsers(name -> Optional.of(new MailUser("../../root@example.org", "", Map.of())));
        RecipientResult r = agent.deliver(request("b@x.org", "innocent@example.org")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals(EnhancedStatus.of(5, 1, 3), r.dsn());
        List<Path> top = files(data);
        assertEquals(List.of(), top, "nothing written anywhere");
    }

    @Test
    void storeFailureDefersOnlyThatRecipient() {
        MailboxStore failing = (AppendOnlyStore) (location, folder, content, flags, date) -> {
            if (location.root().contains("alice")) throw new IOException("disk full");
            return new AppendResult(folder, "ok");
        };
        LocalDelivery a = new LocalDelivery();
        a.setUsers(users);
        a.apply(data.toString(), Map.of());
        a.bindStore(failing, Map.of(MailboxStore.FORMAT, "maildir"));
        directory.put("bob@example.org", new MailUser("bob@example.org", "", Map.of()));
        List<RecipientResult> r = a.deliver(request("b@x.org", "alice@example.org", "bob@example.org"));
        assertEquals(DeliveryStatus.DEFERRED, r.get(0).status());
        assertTrue(r.get(0).reason().contains("disk full"), r.get(0).reason());
        assertEquals(DeliveryStatus.SENT, r.get(1).status());
    }

    @Test
    void locatorAnswersWhatDeliveryUses() throws IOException {
        MailUser alice = directory.get("alice@example.org");
        Optional<MailboxLocation> loc = agent.locate(alice);
        assertEquals(Optional.of(MailboxLocation.parse("maildir:" + data + "/mail/example.org/alice/Maildir")), loc);
        agent.deliver(request("b@x.org", "alice@example.org"));
        assertEquals(1, files(Path.of(loc.get().root()).resolve("new")).size());

        MailUser carol = new MailUser("carol@example.org", "/home/carol", Map.of("mail", "mbox:~/mail:INBOX=~/inbox"));
        assertEquals("mbox:/home/carol/mail:INBOX=/home/carol/inbox", agent.locate(carol).get().toString());
        assertEquals(Optional.empty(), agent.locate(new MailUser("erin@example.org", "",
                Map.of("mail", "maildir:~/Maildir"))), "~ without a home");
        assertEquals(Optional.empty(), agent.locate(new MailUser("../x@example.org", "", Map.of())));
        assertEquals(Optional.empty(), new LocalDelivery().locate(alice), "not configured yet");
    }

    @Test
    void postfixHomeMailboxAndSpoolDirectoryWhenMailLocationIsEmpty() {
        MailUser frank = new MailUser("frank@example.org", "/home/frank", Map.of());
        agent.apply(data.toString(), Map.of("home_mailbox", "Maildir/"));
        assertEquals("maildir:/home/frank/Maildir", agent.locate(frank).get().toString());
        agent.apply(data.toString(), Map.of("home_mailbox", "Mailbox"));
        assertEquals("mbox:/home/frank/mail:INBOX=/home/frank/Mailbox", agent.locate(frank).get().toString());
        agent.apply(data.toString(), Map.of("mail_spool_directory", "/var/spool/mail/"));
        assertEquals("mbox:" + data + "/mail/example.org/frank:INBOX=/var/spool/mail/frank",
                agent.locate(frank).get().toString());
        agent.apply(data.toString(), Map.of("mail_spool_directory", "/var/spool/mail", "home_mailbox", "Maildir/"));
        assertEquals("maildir:/home/frank/Maildir", agent.locate(frank).get().toString(), "home_mailbox first");
        agent.apply(data.toString(), Map.of("mail_location", "maildir:/srv/%n", "home_mailbox", "Maildir/",
                "mail_spool_directory", "/var/mail"));
        assertEquals("maildir:/srv/frank", agent.locate(frank).get().toString(), "mail_location wins when set");
        agent.apply(data.toString(), Map.of("mail_location", "", "home_mailbox", "Maildir/"));
        assertEquals("maildir:/home/frank/Maildir", agent.locate(frank).get().toString(), "empty is not set");

        agent.apply(data.toString(), Map.of("home_mailbox", "/abs/Maildir/"));
        agent.apply(data.toString(), Map.of("home_mailbox", "../Maildir/"));
        agent.apply(data.toString(), Map.of("mail_spool_directory", "var/mail"));
        agent.apply(data.toString(), Map.of("mail_location", "maildir:/ok/%n", "mail_spool_directory", "relative"));
        assertEquals("maildir:/home/frank/Maildir", agent.locate(frank).get().toString(), "bad values keep the last");
    }

    @Test
    void changedMailLocationSwapsTheFormatForTheNextDelivery() throws IOException {
        List<String> used = new ArrayList<>();
        agent.bindStore(recordingStore("mbox", used), Map.of(MailboxStore.FORMAT, "mbox", "service.id", 20L));
        agent.deliver(request("b@x.org", "alice@example.org"));
        agent.apply(data.toString(), Map.of("mail_location", "mbox:${mailhive.data}/mbox:INBOX=${mailhive.data}/spool/%u"));
        RecipientResult r = agent.deliver(request("b@x.org", "alice@example.org")).get(0);
        assertEquals("delivered to mbox", r.reason());
        assertEquals(List.of("mbox mbox:" + data + "/mbox:INBOX=" + data + "/spool/alice@example.org"), used);
        assertEquals(1, files(data.resolve("mail/example.org/alice/Maildir/new")).size(), "only the first");
    }

    @Test
    void contentStreamsPrefixThenMessage() throws IOException {
        PrefixedContent c = PrefixedContent.withDeliveryHeaders(MailAddress.of("a\r\nX-Evil: 1", "x.org"),
                MailAddress.parse("r@y.org"), bytes(MESSAGE));
        byte[] all;
        try (InputStream in = c.openStream()) {
            all = in.readAllBytes();
        }
        String head = "Return-Path: <aX-Evil: 1@x.org>\r\nDelivered-To: r@y.org\r\n";
        assertEquals(head.length() + MESSAGE.length, c.size());
        assertEquals(head, new String(all, 0, head.length(), StandardCharsets.US_ASCII));
    }
}
