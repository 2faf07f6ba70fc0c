package org.mailhive.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.aliases.AliasExpander;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.mailhive.store.maildir.internal.MaildirStore;

class AliasDeliveryTest {

    @TempDir
    Path data;

    private static final byte[] MESSAGE = ("From: bob@example.net\r\nSubject: hi\r\n\r\nFrom the start\r\n"
            + "Delivered-To: team@example.org\r\n").getBytes(StandardCharsets.UTF_8);

    private final Map<String, MailUser> directory = new HashMap<>();
    private final UserDirectory users = name -> Optional.ofNullable(directory.get(name.toLowerCase(Locale.ROOT)));
    private final Map<String, List<AliasTarget>> aliasMap = new HashMap<>();
    private final List<MailAddress> expanded = new ArrayList<>();
    private final AliasExpander aliases = new AliasExpander() {
        @Override
        public Optional<List<AliasTarget>> expand(MailAddress recipient) {
            expanded.add(recipient);
            return Optional.ofNullable(aliasMap.get(recipient.localPart().toLowerCase(Locale.ROOT)));
        }

        @Override
        public boolean isAlias(MailAddress recipient) {
            return aliasMap.containsKey(recipient.localPart().toLowerCase(Locale.ROOT));
        }
    };
    private final FakeSink sink = new FakeSink();
    private LocalDelivery agent;

    /** Records what is submitted; {@code failure} makes open() throw it. */
    static final class FakeSink implements MessageSink {
        final List<Envelope> envelopes = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        MailException failure;

        @Override
        public MessageDraft open(Envelope envelope) throws MailException {
            if (failure != null) throw failure;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            QueueId id = new QueueId("9A8B7C6D5E");
            return new MessageDraft() {
                boolean committed;

                @Override
                public QueueId id() {
                    return id;
                }

                @Override
                public OutputStream content() {
                    return out;
                }

                @Override
                public QueueId commit() {
                    committed = true;
                    envelopes.add(envelope);
                    messages.add(out.toByteArray());
                    return id;
                }

                @Override
                public void abort() {
                    if (!committed) out.reset();
                }
            };
        }
    }

    @BeforeEach
    void setUp() {
        agent = new LocalDelivery();
        agent.setUsers(users);
        agent.setAliases(aliases);
        agent.setSink(sink);
        agent.setPrivileges(new CommandPrivileges(false, Optional.empty(), Path.of("/etc/passwd")));
        agent.apply(data.toString(), Map.of());
        agent.bindStore(new MaildirStore(), Map.of(MailboxStore.FORMAT, "maildir", "service.id", 1L));
        directory.put("alice@example.org", new MailUser("alice@example.org", "", Map.of()));
        directory.put("bob@example.org", new MailUser("bob@example.org", "", Map.of()));
    }

    private static AliasTarget user(String name) {
        return new AliasTarget.LocalUser(name, AliasTarget.ALIAS, "team");
    }

    private RecipientResult deliver(String rcpt, byte[] message) {
        List<RecipientResult> r = agent.deliver(Fixtures.request(rcpt, message));
        assertEquals(1, r.size());
        return r.get(0);
    }

    private List<String> inbox(String user) throws IOException {
        Path dir = data.resolve("mail/example.org/" + user + "/Maildir/new");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.toList()) out.add(Files.readString(p));
            return out;
        }
    }

    private static byte[] plain(String subject) {
        return ("From: bob@example.net\r\nSubject: " + subject + "\r\n\r\nFrom the start\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listDeliversOneCopyToEachUser() throws IOException {
        aliasMap.put("team", List.of(user("alice"), user("bob@example.org")));
        RecipientResult r = deliver("Team@example.org", plain("list"));
        assertEquals(RecipientResult.sent(MailAddress.parse("Team@example.org"), "local",
                "delivered to 2 targets via alias team"), r);
        List<String> alice = inbox("alice");
        List<String> bob = inbox("bob");
        assertEquals(1, alice.size());
        assertEquals(1, bob.size());
        assertTrue(alice.get(0).startsWith("Return-Path: <bob@example.net>\nDelivered-To: alice@example.org\n"
                + "From: bob@example.net\nSubject: list\n"), alice.get(0));
        assertTrue(bob.get(0).startsWith("Return-Path: <bob@example.net>\nDelivered-To: bob@example.org\n"), bob.get(0));
    }

    @Test
    void notAnAliasIsDeliveredToTheUserAsBefore() throws IOException {
        RecipientResult r = deliver("alice@example.org", plain("plain"));
        assertEquals(DeliveryStatus.SENT, r.status());
        assertEquals("delivered to maildir", r.reason());
        assertEquals(List.of(MailAddress.parse("alice@example.org")), expanded);
        assertEquals(1, inbox("alice").size());
    }

    @Test
    void withoutExpanderAliasNamesAreUnknownUsers() {
        agent.setAliases(null);
        aliasMap.put("team", List.of(user("alice")));
        RecipientResult r = deliver("team@example.org", plain("none"));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals("5.1.1", r.dsn().toString());
    }

    @Test
    void forwardsAreOneResubmittedMessageWithDeliveredTo() throws IOException {
        aliasMap.put("team", List.of(user("alice"),
                new AliasTarget.Forward(MailAddress.parse("carol@remote.test"), AliasTarget.ALIAS, "team"),
                new AliasTarget.Forward(MailAddress.parse("dave@other.test"), AliasTarget.ALIAS, "team")));
        byte[] message = plain("fwd");
        RecipientResult r = deliver("team@example.org", message);
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        assertEquals("delivered to 3 targets via alias team", r.reason());
        assertEquals(1, sink.envelopes.size());
        Envelope env = sink.envelopes.get(0);
        assertEquals(MailAddress.parse(Fixtures.SENDER), env.sender());
        assertEquals(List.of(Recipient.of(MailAddress.parse("carol@remote.test")),
                Recipient.of(MailAddress.parse("dave@other.test"))), env.recipients());
        assertEquals("forward", env.attribute(Envelope.SOURCE, null));
        assertEquals("Delivered-To: team@example.org\r\n" + new String(message, StandardCharsets.UTF_8),
                new String(sink.messages.get(0), StandardCharsets.UTF_8));
        assertEquals(1, inbox("alice").size());
    }

    @Test
    void forwardWithoutSinkDefersBeforeAnyOtherTargetGetsACopy() throws IOException {
        agent.setSink(null);
        aliasMap.put("fwd", List.of(user("alice"), new AliasTarget.Forward(MailAddress.parse("carol@remote.test"),
                AliasTarget.FORWARD, "alice")));
        RecipientResult r = deliver("fwd@example.org", plain("nosink"));
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals("4.3.0", r.dsn().toString());
        assertEquals(List.of(), inbox("alice"), "the retry must not make a second copy for alice");
    }

    @Test
    void asRootOnlyTheAdministratorsAliasesMayNameAFile() throws IOException {
        agent.setPrivileges(new CommandPrivileges(true, Optional.empty(), Path.of("/etc/passwd")));
        Path fromForward = data.resolve("forward.mbox");
        Path fromAlias = data.resolve("alias.mbox");
        aliasMap.put("alice", List.of(new AliasTarget.File(fromForward.toString(), AliasTarget.FORWARD, "alice")));
        aliasMap.put("archive", List.of(new AliasTarget.File(fromAlias.toString(), AliasTarget.ALIAS, "archive")));
        RecipientResult refused = deliver("alice@example.org", plain("root"));
        assertEquals(DeliveryStatus.BOUNCED, refused.status());
        assertEquals("5.7.1", refused.dsn().toString());
        assertFalse(Files.exists(fromForward));
        assertEquals(DeliveryStatus.SENT, deliver("archive@example.org", plain("root")).status());
        assertTrue(Files.readString(fromAlias).startsWith("From bob@example.net "));
    }

    @Test
    void forwardRefusedTemporarilyDefersAndPermanentlyBounces() {
        aliasMap.put("fwd", List.of(new AliasTarget.Forward(MailAddress.parse("carol@remote.test"),
                AliasTarget.ALIAS, "fwd")));
        sink.failure = new MailException(SmtpReply.of(452, EnhancedStatus.of(4, 3, 1), "queue full"), "disk");
        assertEquals(DeliveryStatus.DEFERRED, deliver("fwd@example.org", plain("a")).status());
        sink.failure = new MailException(SmtpReply.of(552, EnhancedStatus.of(5, 3, 4), "too big"), "size");
        RecipientResult r = deliver("fwd@example.org", plain("b"));
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals("5.3.4", r.dsn().toString());
        assertTrue(r.reason().startsWith("forward [carol@remote.test]: "), r.reason());
    }

    @Test
    void fileTargetAppendsMboxStyle() throws IOException {
        Path mbox = data.resolve("archive.mbox");
        aliasMap.put("archive", List.of(new AliasTarget.File(mbox.toString(), AliasTarget.ALIAS, "archive")));
        RecipientResult r = deliver("archive@example.org", plain("file"));
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        String text = Files.readString(mbox);
        assertTrue(text.matches("(?s)From bob@example\\.net [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n"
                + "Return-Path: <bob@example\\.net>\nDelivered-To: archive@example\\.org\nFrom: bob@example\\.net\n"
                + "Subject: file\n\n>From the start\nbody\n\n"), text);
    }

    @Test
    void commandTargetReceivesTheMessage() throws IOException {
        Path out = data.resolve("piped.eml");
        aliasMap.put("piped", List.of(new AliasTarget.Command("cat > '" + out + "'", AliasTarget.ALIAS, "piped")));
        RecipientResult r = deliver("piped@example.org", plain("pipe"));
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        assertEquals("Return-Path: <bob@example.net>\nDelivered-To: piped@example.org\nFrom: bob@example.net\n"
                + "Subject: pipe\n\nFrom the start\nbody\n", Files.readString(out));
    }

    /**
     * As root, a command from the administrator's aliases runs as the server, one from a user's
     * .forward as default_privs (nobody). Only meaningful where the tests run as root, as CI does.
     */
    @Test
    void aliasCommandsRunAsTheServerForwardCommandsAsDefaultPrivs() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "privilege drop needs root");
        agent.setPrivileges(CommandPrivileges.system());
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path admin = data.resolve("admin.uid");
        Path user = data.resolve("user.uid");
        aliasMap.put("adm", List.of(new AliasTarget.Command("id -u > '" + admin + "'", AliasTarget.ALIAS, "adm")));
        aliasMap.put("fwd", List.of(new AliasTarget.Command("id -u > '" + user + "'", AliasTarget.FORWARD, "fwd")));
        assertEquals(DeliveryStatus.SENT, deliver("adm@example.org", plain("a")).status());
        RecipientResult fwd = deliver("fwd@example.org", plain("f"));
        assertEquals(DeliveryStatus.SENT, fwd.status(), fwd.reason());
        assertEquals("0", Files.readString(admin).strip());
        assertTrue(!Files.readString(user).strip().equals("0"), "a .forward command never runs as root");
    }

    @Test
    void commandExitStatusMapsToDeferredAndBounced() {
        aliasMap.put("temp", List.of(new AliasTarget.Command("exit 75", AliasTarget.ALIAS, "temp")));
        aliasMap.put("perm", List.of(new AliasTarget.Command("echo nope >&2; exit 1", AliasTarget.ALIAS, "perm")));
        assertEquals(DeliveryStatus.DEFERRED, deliver("temp@example.org", plain("t")).status());
        RecipientResult perm = deliver("perm@example.org", plain("p"));
        assertEquals(DeliveryStatus.BOUNCED, perm.status());
        assertTrue(perm.reason().contains("nope"), perm.reason());
    }

    @Test
    void aliasExpandingToNothingIsAForwardingLoop() {
        aliasMap.put("loopa", List.of());
        RecipientResult r = deliver("loopa@example.org", plain("loop"));
        assertEquals(RecipientResult.bounced(MailAddress.parse("loopa@example.org"), EnhancedStatus.of(5, 4, 6),
                "local", "mail forwarding loop for loopa@example.org"), r);
    }

    @Test
    void anyDeferredTargetDefersTheRecipientElseABounceBouncesIt() throws IOException {
        Path missingDir = data.resolve("no/such/dir/archive.mbox");
        aliasMap.put("mixed", List.of(user("alice"), user("nobody"),
                new AliasTarget.File(missingDir.toString(), AliasTarget.ALIAS, "mixed")));
        RecipientResult r = deliver("mixed@example.org", plain("mixed"));
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals("4.3.0", r.dsn().toString());
        assertTrue(r.reason().startsWith("file " + missingDir + ": "), r.reason());

        aliasMap.put("half", List.of(user("alice"), user("nobody")));
        RecipientResult half = deliver("half@example.org", plain("half"));
        assertEquals(DeliveryStatus.BOUNCED, half.status());
        assertEquals("5.1.1", half.dsn().toString());
        assertEquals("user nobody: unknown user: \"nobody\"", half.reason());
        assertEquals(2, inbox("alice").size());
    }

    @Test
    void ourDeliveredToForThisRecipientIsALoop() throws IOException {
        byte[] looped = ("Delivered-To: <Team@Example.org>\r\nFrom: bob@example.net\r\nSubject: again\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
        aliasMap.put("team", List.of(user("alice")));
        RecipientResult r = deliver("team@example.org", looped);
        assertEquals(DeliveryStatus.BOUNCED, r.status());
        assertEquals("5.4.6", r.dsn().toString());
        assertEquals("mail forwarding loop for team@example.org", r.reason());
        assertTrue(expanded.isEmpty(), "a looping message is not expanded again");
        assertEquals(List.of(), inbox("alice"));
    }

    @Test
    void deliveredToInTheBodyOrForSomeoneElseIsNoLoop() throws IOException {
        aliasMap.put("team", List.of(user("alice")));
        assertEquals(DeliveryStatus.SENT, deliver("team@example.org", MESSAGE).status());
        byte[] other = ("Delivered-To: bob@example.org\r\nSubject: x\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(DeliveryStatus.SENT, deliver("team@example.org", other).status());
        assertEquals(2, inbox("alice").size());
    }

    @Test
    void recipientDelimiterFindsTheUserWithoutTheDetail() throws IOException {
        RecipientResult r = deliver("alice+lists@example.org", plain("tag"));
        assertEquals(DeliveryStatus.SENT, r.status(), r.reason());
        List<String> box = inbox("alice");
        assertEquals(1, box.size());
        assertTrue(box.get(0).startsWith("Return-Path: <bob@example.net>\nDelivered-To: alice+lists@example.org\n"));

        agent.apply(data.toString(), Map.of("recipient_delimiter", ""));
        assertEquals(DeliveryStatus.BOUNCED, deliver("alice+lists@example.org", plain("off")).status());
        assertFalse(inbox("alice").size() > 1);
    }
}
