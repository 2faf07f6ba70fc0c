package org.mailhive.pop3.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.FlagMode;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.FolderInfo;
import org.mailhive.api.store.FolderListener;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxLocator;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.store.MessageInfo;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.api.users.Authenticator;
import org.mailhive.api.users.MailUser;

/** In-memory stand-ins for the services a POP3 listener uses. */
final class Fakes {

    private Fakes() {
    }

    static final Map<String, String> PASSWORDS = Map.of("alice@localhost", "secret1", "bob@localhost", "secret2");

    static final Authenticator AUTH = (login, password) -> {
        String want = PASSWORDS.get(login);
        return want != null && want.equals(new String(password))
                ? Optional.of(new MailUser(login, "", Map.of())) : Optional.empty();
    };

    static final MailboxLocator LOCATOR = user -> Optional.of(new MailboxLocation("fake", "/mem/" + user.name(),
            Map.of()));

    /** A MailboxStore of format "fake": one INBOX per location root, kept in memory. */
    static final class Store implements MailboxStore {
        final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();
        final AtomicInteger openMailboxes = new AtomicInteger();

        Inbox inbox(String user) {
            return inboxes.computeIfAbsent("/mem/" + user, k -> new Inbox());
        }

        @Override
        public AppendResult append(MailboxLocation location, String folder, MessageContent content, Set<String> flags,
                Instant internalDate) throws IOException {
            long uid = inboxes.computeIfAbsent(location.root(), k -> new Inbox()).add(content.openStream()
                    .readAllBytes());
            return new AppendResult(folder, Long.toString(uid));
        }

        @Override
        public Mailbox open(MailboxLocation location) {
            Inbox inbox = inboxes.computeIfAbsent(location.root(), k -> new Inbox());
            openMailboxes.incrementAndGet();
            return new Box(inbox, openMailboxes);
        }
    }

    /** The messages of one INBOX by UID. */
    static final class Inbox {
        final ConcurrentSkipListMap<Long, byte[]> messages = new ConcurrentSkipListMap<>();
        final long uidValidity = 1_700_000_123L;
        long next = 1;
        /** Largest read asked of a message stream: the POP3 side must read in chunks. */
        volatile int largestRead;
        volatile IOException failOpen;

        synchronized long add(byte[] message) {
            long uid = next++;
            messages.put(uid, message);
            return uid;
        }

        long add(String message) {
            return add(message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class Box implements Mailbox {
        private final Inbox inbox;
        private final AtomicInteger open;
        private boolean closed;

        Box(Inbox inbox, AtomicInteger open) {
            this.inbox = inbox;
            this.open = open;
        }

        @Override
        public List<FolderInfo> folders() {
            return List.of(new FolderInfo(MailboxStore.INBOX, true));
        }

        @Override
        public Folder folder(String name) throws IOException {
            if (!name.equalsIgnoreCase(MailboxStore.INBOX)) throw new NoSuchFileException(name);
            return new InboxFolder(inbox);
        }

        @Override
        public void createFolder(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteFolder(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void renameFolder(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void subscribe(String name, boolean subscribed) {
        }

        @Override
        public long usage() {
            return inbox.messages.values().stream().mapToLong(b -> b.length).sum();
        }

        @Override
        public void addListener(FolderListener listener) {
        }

        @Override
        public void removeListener(FolderListener listener) {
        }

        @Override
        public void close() {
            if (!closed) open.decrementAndGet();
            closed = true;
        }
    }

    private static final class InboxFolder implements Folder {
        private final Inbox inbox;

        InboxFolder(Inbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public String name() {
            return MailboxStore.INBOX;
        }

        @Override
        public long uidValidity() {
            return inbox.uidValidity;
        }

        @Override
        public long uidNext() {
            return inbox.next;
        }

        @Override
        public List<MessageInfo> messages() {
            List<MessageInfo> out = new ArrayList<>();
            inbox.messages.forEach((uid, b) -> out.add(new MessageInfo(uid, b.length, Set.of(), Instant.EPOCH)));
            return out;
        }

        @Override
        public InputStream open(long uid) throws IOException {
            if (inbox.failOpen != null) throw inbox.failOpen;
            byte[] b = inbox.messages.get(uid);
            if (b == null) throw new NoSuchFileException("uid " + uid);
            return new ByteArrayInputStream(b) {
                @Override
                public synchronized int read(byte[] buf, int off, int len) {
                    inbox.largestRead = Math.max(inbox.largestRead, len);
                    return super.read(buf, off, len);
                }
            };
        }

        @Override
        public long append(MessageContent content, Set<String> flags, Instant internalDate) throws IOException {
            return inbox.add(content.openStream().readAllBytes());
        }

        @Override
        public void setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) {
        }

        @Override
        public List<Long> delete(Collection<Long> uids) {
            List<Long> removed = new ArrayList<>();
            for (Long uid : uids) {
                if (inbox.messages.remove(uid) != null) removed.add(uid);
            }
            return removed;
        }

        @Override
        public List<Long> expunge() {
            return List.of();
        }

        @Override
        public Map<Long, Long> copyTo(Collection<Long> uids, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** The listener's services without a framework: what the session tests hand to a session. */
    static final class Services implements Pop3Services {
        final Store store = new Store();
        final MailboxLocks locks = new MailboxLocks();
        volatile TlsContextProvider tls;
        volatile Authenticator auth = AUTH;
        volatile boolean storePresent = true;

        @Override
        public org.mailhive.api.core.ServerIdentity identity() {
            return null;
        }

        @Override
        public Authenticator authenticator() {
            return auth;
        }

        @Override
        public MailboxLocator locator() {
            return LOCATOR;
        }

        @Override
        public MailboxStore store(String format) {
            return storePresent && format.equals("fake") ? store : null;
        }

        @Override
        public TlsContextProvider tls() {
            return tls;
        }

        @Override
        public MailboxLocks locks() {
            return locks;
        }

        @Override
        public boolean isLocalClient(InetAddress client) {
            return client.isLoopbackAddress();
        }
    }

    /** A connection that records what the session does instead of touching a socket. */
    static final class FakeConnection implements Connection {
        final InetAddress remote;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final List<Duration> delays = new ArrayList<>();
        int drainRequests;
        int prefetchRequests;
        long pending;
        boolean closed;
        boolean aborted;
        Boolean suspended;

        FakeConnection(String remote) {
            try {
                this.remote = InetAddress.getByName(remote);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        /** What was written since the last call. */
        String take() {
            String s = written.toString(StandardCharsets.UTF_8);
            written.reset();
            return s;
        }

        @Override
        public InetAddress remoteAddress() {
            return remote;
        }

        @Override
        public InetAddress localAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public void write(byte[] bytes, int length) {
            written.write(bytes, 0, length);
        }

        @Override
        public long pendingBytes() {
            return pending;
        }

        @Override
        public void notifyWhenDrained() {
            drainRequests++;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void abort() {
            aborted = true;
            closed = true;
        }

        @Override
        public boolean startTls(byte[] plaintext) {
            written.writeBytes(plaintext);
            return true;
        }

        @Override
        public String tlsDescription() {
            return "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256";
        }

        @Override
        public void resumeLater(Duration delay) {
            delays.add(delay);
        }

        @Override
        public void prefetchLater() {
            prefetchRequests++;
        }

        @Override
        public void readSuspended(boolean suspend) {
            suspended = suspend;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }
}
