package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;

class MaildropPickupTest {

    @TempDir
    Path queue;
    final List<Envelope> envelopes = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    volatile MailException failWith;
    MaildropPickup pickup;
    final TestSupport.MutableClock clock = new TestSupport.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    static final ServerIdentity IDENTITY = new ServerIdentity() {
        public String myhostname() { return "mx.example.test"; }
        public String mydomain() { return "example.test"; }
        public String myorigin() { return "example.test"; }
        public Set<String> mydestination() { return Set.of("example.test"); }
        public boolean isMyDestination(String d) { return d.equals("example.test"); }
        public List<String> mynetworks() { return List.of(); }
        public boolean inMynetworks(InetAddress a) { return false; }
        public String expand(String v) { return v; }
    };

    final MessageSink sink = envelope -> {
        if (failWith != null) throw failWith;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return new MessageDraft() {
            public QueueId id() { return new QueueId("ABC123"); }
            public OutputStream content() { return buf; }
            public QueueId commit() {
                envelopes.add(envelope);
                messages.add(buf.toString(StandardCharsets.UTF_8));
                return id();
            }
            public void abort() { }
        };
    };

    @BeforeEach
    void setUp() throws IOException {
        pickup = new MaildropPickup(clock);
        pickup.setSink(sink);
        pickup.setIdentity(IDENTITY);
        pickup.open(queue);
    }

    private String drop(Envelope e, String message) throws IOException {
        Maildrop md = new Maildrop(queue);
        try (Maildrop.Entry entry = md.open()) {
            entry.content().write(message.getBytes(StandardCharsets.UTF_8));
            return entry.commit(e);
        }
    }

    private long maildropCount() throws IOException {
        try (Stream<Path> s = Files.list(queue.resolve("maildrop"))) {
            return s.count();
        }
    }

    @Test
    void anEntryGoesToCleanupQualifiedAndLeavesTheMaildrop() throws Exception {
        drop(new Envelope(MailAddress.of("root", ""), List.of(new Recipient(MailAddress.of("alice", ""), Map.of())),
                Map.of("auth.user", "forged", "client.address", "10.0.0.1")), "Subject: hi\r\n\r\nbody\r\n");
        assertEquals(1, pickup.scan());
        assertEquals(0, maildropCount());
        Envelope e = envelopes.get(0);
        assertEquals(MailAddress.of("root", "example.test"), e.sender());
        assertEquals(MailAddress.of("alice", "example.test"), e.recipients().get(0).address());
        String owner = Files.getOwner(queue).getName();
        assertEquals(owner, e.attribute(Envelope.AUTH_USER, ""), "the submitter is the entry's owner, not the file's claim");
        assertNull(e.attributes().get(Envelope.CLIENT_ADDRESS), "a submitter cannot pretend to be a network client");
        assertEquals("pickup", e.attribute(Envelope.SOURCE, ""));
        assertEquals("Subject: hi\r\n\r\nbody\r\n", messages.get(0));
    }

    @Test
    void aTemporaryFailureKeepsTheEntryAndRetriesAfterBackoff() throws Exception {
        drop(new Envelope(MailAddress.of("root", ""), List.of(new Recipient(MailAddress.of("bob", "x.test"), Map.of())),
                Map.of()), "Subject: t\r\n\r\nb\r\n");
        failWith = MailException.temporary("queue full", null);
        assertEquals(0, pickup.scan());
        assertEquals(1, maildropCount());
        failWith = null;
        assertEquals(0, pickup.scan(), "not before its retry time");
        clock.advance(java.time.Duration.ofSeconds(6));
        assertEquals(1, pickup.scan());
        assertEquals(0, maildropCount());
    }

    @Test
    void aPermanentRejectionOrABrokenEntryGoesToHoldNotAway() throws Exception {
        String id = drop(new Envelope(MailAddress.of("root", ""),
                List.of(new Recipient(MailAddress.of("bob", "x.test"), Map.of())), Map.of()), "Subject: big\r\n\r\nb\r\n");
        failWith = new MailException(SmtpReply.of(552, new EnhancedStatus(5, 3, 4), "message too big"), "too big");
        pickup.scan();
        assertTrue(Files.isDirectory(queue.resolve("hold").resolve(id)), "rejected entry kept on hold");
        failWith = null;
        Path broken = Files.createDirectories(queue.resolve("maildrop").resolve("AAAA1"));
        Files.writeString(broken.resolve("envelope"), "garbage");
        pickup.scan();
        assertTrue(Files.isDirectory(queue.resolve("hold").resolve("AAAA1")));
        assertTrue(envelopes.isEmpty());
    }

    @Test
    void partialEntriesAreLeftAloneUntilAbandoned() throws Exception {
        Path partial = Files.createDirectories(queue.resolve("maildrop").resolve(Maildrop.PARTIAL_PREFIX + "x"));
        Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.from(clock.instant()));
        assertEquals(0, pickup.scan());
        assertTrue(Files.exists(partial));
        clock.advance(java.time.Duration.ofDays(2));
        pickup.scan();
        assertFalse(Files.exists(partial));
    }

    @Test
    void anUntrustedUserSettingTheSenderGetsAWarningAndWithoutDashFIsReplaced() {
        QueueFile withF = QueueFile.fresh(new Envelope(MailAddress.of("ceo", "example.test"),
                List.of(new Recipient(MailAddress.of("bob", "x.test"), Map.of())),
                Map.of(MaildropPickup.ATTR_SET_SENDER, "true")), Instant.EPOCH);
        MaildropPickup.Submission s = MaildropPickup.Submission.of(withF, "mallory", false, IDENTITY);
        assertEquals(MailAddress.of("ceo", "example.test"), s.envelope().sender());
        assertEquals("X-Authentication-Warning: mx.example.test: mallory set sender to ceo@example.test using -f\r\n",
                s.warning());

        QueueFile handMade = QueueFile.fresh(new Envelope(MailAddress.of("ceo", "example.test"),
                List.of(new Recipient(MailAddress.of("bob", "x.test"), Map.of())), Map.of()), Instant.EPOCH);
        MaildropPickup.Submission h = MaildropPickup.Submission.of(handMade, "mallory", false, IDENTITY);
        assertEquals(MailAddress.of("mallory", "example.test"), h.envelope().sender());
        assertNull(h.warning());

        MaildropPickup.Submission t = MaildropPickup.Submission.of(withF, "root", true, IDENTITY);
        assertNull(t.warning(), "root may set any sender");
    }
}
