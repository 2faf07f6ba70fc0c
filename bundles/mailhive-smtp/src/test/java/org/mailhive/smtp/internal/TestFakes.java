package org.mailhive.smtp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.api.users.Authenticator;
import org.mailhive.api.users.MailUser;

/** Fakes shared by the smtpd tests. */
final class TestFakes {

    private TestFakes() {
    }

    static final ServerIdentity IDENTITY = new ServerIdentity() {
        @Override public String myhostname() { return "mx.test"; }
        @Override public String mydomain() { return "test"; }
        @Override public String myorigin() { return "test"; }
        @Override public Set<String> mydestination() { return Set.of("localhost"); }
        @Override public boolean isMyDestination(String domain) { return domain.equals("localhost"); }
        @Override public List<String> mynetworks() { return List.of(); }
        @Override public boolean inMynetworks(InetAddress client) { return false; }
        @Override public String expand(String value) { return value.replace("$myhostname", myhostname()); }
    };

    /** A sink keeping every message in memory; commit may be made to wait on a latch. */
    static final class Sink implements MessageSink {
        final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
        final Map<String, byte[]> committed = new ConcurrentHashMap<>();
        final AtomicInteger aborted = new AtomicInteger();
        final AtomicInteger counter = new AtomicInteger(0xA0);
        volatile CountDownLatch commitGate;
        final CountDownLatch commitEntered = new CountDownLatch(1);
        volatile MailException failCommit;
        volatile MailException failOpen;
        /** When set, every write into a draft waits for it: a disk slower than the client. */
        volatile CountDownLatch writeGate;

        @Override
        public MessageDraft open(Envelope envelope) throws MailException {
            if (failOpen != null) throw failOpen;
            envelopes.add(envelope);
            QueueId id = new QueueId(Integer.toHexString(counter.incrementAndGet()).toUpperCase() + "F00D");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            OutputStream stream = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    CountDownLatch gate = writeGate;
                    try {
                        if (gate != null && !gate.await(30, TimeUnit.SECONDS)) throw new IOException("gate never opened");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                    bytes.write(b, off, len);
                }
            };
            return new MessageDraft() {
                boolean done;

                @Override public QueueId id() { return id; }
                @Override public OutputStream content() { return stream; }

                @Override
                public QueueId commit() throws MailException {
                    commitEntered.countDown();
                    CountDownLatch gate = commitGate;
                    if (gate != null) {
                        try {
                            if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (failCommit != null) throw failCommit;
                    done = true;
                    committed.put(id.value(), bytes.toByteArray());
                    return id;
                }

                @Override
                public void abort() {
                    if (!done) {
                        done = true;
                        aborted.incrementAndGet();
                    }
                }
            };
        }

        String onlyMessage() {
            if (committed.size() != 1) throw new AssertionError("expected one message, got " + committed.keySet());
            return new String(committed.values().iterator().next(), StandardCharsets.UTF_8);
        }
    }

    /** A Check that rejects one address with Postfix's unknown-user reply and is neutral otherwise. */
    static Check rejecting(String address) {
        return new Check() {
            @Override
            public org.mailhive.api.smtp.Verdict onRecipient(org.mailhive.api.smtp.SmtpContext s,
                    org.mailhive.api.mail.Recipient r) {
                if (r.address().toString().equals(address)) {
                    return org.mailhive.api.smtp.Verdict.reject(org.mailhive.api.mail.SmtpReply.of(550, "5.1.1",
                            r.address().toPath() + ": Recipient address rejected: User unknown in local recipient table"));
                }
                return org.mailhive.api.smtp.Verdict.DUNNO;
            }
        };
    }

    /** Services for session tests: checks by name, fixed identity and sink. */
    static final class Services implements SmtpServices {
        final Map<String, Check> checks = new ConcurrentHashMap<>();
        volatile MessageSink sink;
        volatile TlsContextProvider tls;
        volatile Authenticator authenticator;
        final AuthFailures failures = new AuthFailures();

        Services(MessageSink sink) {
            this.sink = sink;
        }

        @Override public ServerIdentity identity() { return IDENTITY; }
        @Override public MessageSink sink() { return sink; }
        @Override public Check check(String name) { return checks.get(name); }
        @Override public TlsContextProvider tls() { return tls; }
        @Override public Authenticator authenticator() { return authenticator; }
        @Override public AuthFailures authFailures() { return failures; }
    }

    /** Knows one user, alice@localhost with password "secret1". */
    static final Authenticator ALICE = (login, password) -> login.equalsIgnoreCase("alice@localhost")
            && new String(password).equals("secret1")
                    ? Optional.of(new MailUser("alice@localhost", "", Map.of())) : Optional.empty();

    /** Records what the session writes. */
    static final class FakeConnection implements Connection {
        final StringBuilder written = new StringBuilder();
        final List<String> writes = new CopyOnWriteArrayList<>();
        boolean closed;
        InetAddress remote = InetAddress.getLoopbackAddress();
        boolean tlsPossible = true;
        /** What went out in plaintext with the switch to TLS. */
        String tlsStartedWith;
        Duration resumeDelay;

        @Override
        public InetAddress remoteAddress() {
            return remote;
        }

        @Override
        public boolean startTls(String plaintext) {
            if (!tlsPossible) return false;
            tlsStartedWith = plaintext;
            written.append(plaintext);
            return true;
        }

        @Override
        public String tlsDescription() {
            return tlsStartedWith == null ? null : "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384";
        }

        @Override
        public void resumeLater(Duration delay) {
            resumeDelay = delay;
        }

        @Override
        public void write(String text) {
            written.append(text);
            writes.add(text);
        }

        @Override
        public void close() {
            closed = true;
        }

        /** Everything written since the last call. */
        String take() {
            String s = written.toString();
            written.setLength(0);
            return s;
        }
    }

    /** Settings for tests: defaults with restrictions "permit_all_test reject_unauth_destination" style lists. */
    static ListenerSettings settings(String restrictions, long sizeLimit, int hardErrors) {
        return settings(restrictions, sizeLimit, hardErrors, false);
    }

    static ListenerSettings settings(String restrictions, long sizeLimit, int hardErrors, boolean rejectUnlisted) {
        return settings(restrictions, sizeLimit, hardErrors, rejectUnlisted, 3, SessionPolicy.defaults("mta"));
    }

    static ListenerSettings settings(String restrictions, long sizeLimit, int hardErrors, boolean rejectUnlisted,
            int recipientLimit, SessionPolicy policy) {
        ListenerSettings d = ListenerSettings.defaults("test");
        return new ListenerSettings("test", "127.0.0.1", 0, d.banner(), sizeLimit, d.lineLengthLimit(),
                recipientLimit, hardErrors, d.timeout(),
                Restriction.parse(org.mailhive.api.config.Settings.splitList(restrictions)), rejectUnlisted, 2, policy);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
