package org.mailhive.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's pickup: takes what {@code bin/sendmail} left in {@code queue/maildrop} and hands it to
 * cleanup through {@link MessageSink}, removing the entry only once cleanup has committed the
 * message to the queue. A crash in between submits the message twice, never zero times.
 *
 * <p>The entry's envelope is what the submitter wrote, so it is not trusted beyond what sendmail
 * allows: the submitting user is the owner of the entry on disk, not a name in the file. Anyone
 * may set the envelope sender with {@code -f}, but an untrusted user doing so gets an
 * {@code X-Authentication-Warning} header, as in sendmail; a sender that differs without
 * {@code -f} (a hand-made entry) is replaced by the user's own address.
 */
@Component(configurationPid = "org.mailhive.queue")
public final class MaildropPickup {

    private static final Logger LOG = LoggerFactory.getLogger(MaildropPickup.class);
    private static final Logger PICKUP = LoggerFactory.getLogger("mail.pickup");
    /** Fallback scan interval: a watch event can be lost (overflow, network file systems). */
    private static final long SCAN_SECONDS = 5;
    private static final Duration PARTIAL_MAX_AGE = Duration.ofDays(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    /** Attributes the sendmail command writes into a maildrop envelope. */
    public static final String ATTR_SET_SENDER = "sendmail.set_sender";
    /** The -F full name; cleanup uses it in a From: it adds. */
    public static final String ATTR_FULL_NAME = "sender.fullname";

    private final Clock clock;
    private volatile MessageSink sink;
    private volatile ServerIdentity identity;
    private final Map<String, Retry> retries = new HashMap<>();
    private String dataDir;
    private Path maildrop;
    private Path hold;
    private Thread thread;
    private WatchService watcher;
    private volatile boolean running;
    private volatile boolean stopping;

    private record Retry(int failures, Instant next) {
    }

    public MaildropPickup() {
        this(Clock.systemUTC());
    }

    MaildropPickup(Clock clock) {
        this.clock = clock;
    }

    @Reference
    void setSink(MessageSink s) {
        this.sink = s;
    }

    @Reference
    void setIdentity(ServerIdentity i) {
        this.identity = i;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws IOException {
        dataDir = context == null ? null : context.getProperty("mailhive.data");
        start(directoryOf(properties));
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) throws IOException {
        Path next = directoryOf(properties);
        if (next.equals(maildrop != null ? maildrop.getParent() : null)) return;
        stop();
        start(next);
    }

    @Deactivate
    synchronized void stop() {
        running = false;
        stopping = true;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // the thread ends on the closed service either way
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        watcher = null;
    }

    private Path directoryOf(Map<String, Object> properties) {
        Settings s = new Settings(properties);
        QueueSettings q = QueueSettings.from(s, dataDir);
        if (!s.ok()) q = QueueSettings.from(new Settings(Map.of()), dataDir);
        return q.directory();
    }

    /** Points this pickup at a queue directory without starting its thread (tests call {@link #scan}). */
    void open(Path queueDirectory) throws IOException {
        Maildrop md = new Maildrop(queueDirectory);
        md.create();
        maildrop = md.directory();
        hold = queueDirectory.resolve("hold");
        Files.createDirectories(hold);
        stopping = false;
    }

    synchronized void start(Path queueDirectory) throws IOException {
        open(queueDirectory);
        watcher = maildrop.getFileSystem().newWatchService();
        // a rename into the directory is a create event too
        maildrop.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        running = true;
        thread = new Thread(this::run, "mailhive-pickup");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        WatchService w = watcher;
        while (running) {
            try {
                scan();
                var key = w.poll(SCAN_SECONDS, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("pickup: unexpected error, going on", e);
            }
        }
    }

    /** Picks up every complete entry that is due; returns how many were handed to cleanup. */
    int scan() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(maildrop)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        } catch (IOException e) {
            LOG.warn("pickup: cannot list {}: {}", maildrop, e.toString());
            return 0;
        }
        names.sort(QueueIds::compare);
        int n = 0;
        Instant now = clock.instant();
        for (String name : names) {
            if (stopping) break;
            if (name.startsWith(Maildrop.PARTIAL_PREFIX)) {
                sweepPartial(maildrop.resolve(name), now);
                continue;
            }
            if (!QueueAdminOps.validId(name)) continue;
            Retry r = retries.get(name);
            if (r != null && now.isBefore(r.next())) continue;
            if (pickup(name)) n++;
        }
        return n;
    }

    private void sweepPartial(Path p, Instant now) {
        try {
            if (Files.getLastModifiedTime(p).toInstant().plus(PARTIAL_MAX_AGE).isBefore(now)) {
                QueueDirectory.deleteTree(p);
                LOG.info("pickup: removed abandoned partial submission {}", p.getFileName());
            }
        } catch (IOException ignored) {
            // gone already, or tried again at the next scan
        }
    }

    /** Hands one entry to cleanup; true when it left the maildrop. */
    boolean pickup(String name) {
        Path entry = maildrop.resolve(name);
        QueueFile claimed;
        String owner;
        String uid;
        try {
            owner = Files.getOwner(entry).getName();
            uid = uidOf(entry, owner);
            claimed = EnvelopeCodec.decode(Files.readString(entry.resolve(QueueDirectory.ENVELOPE),
                    StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            retries.remove(name);
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return quarantine(name, "bad maildrop entry: " + e.getMessage());
        }
        ServerIdentity id = identity;
        MessageSink s = sink;
        if (id == null || s == null) return false;
        Submission sub = Submission.of(claimed, owner, trusted(owner), id);
        if (sub.envelope().recipients().isEmpty()) return quarantine(name, "no recipients");
        QueueId queued;
        try (MessageDraft d = s.open(sub.envelope())) {
            OutputStream out = d.content();
            if (sub.warning() != null) out.write(sub.warning().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(entry.resolve(QueueDirectory.MESSAGE))) {
                in.transferTo(out);
            }
            queued = d.commit();
        } catch (MailException e) {
            if (!e.isTemporary()) return quarantine(name, e.getMessage());
            return later(name, e.getMessage());
        } catch (IOException e) {
            return later(name, e.toString());
        }
        PICKUP.info("{}: uid={} from=<{}>", queued, uid, sub.envelope().sender());
        retries.remove(name);
        try {
            QueueDirectory.deleteTree(entry);
        } catch (IOException e) {
            // it would be picked up again: say so loudly, the operator can remove it
            LOG.error("pickup: {} was queued as {} but cannot be removed from the maildrop: {}", name, queued,
                    e.toString());
        }
        return true;
    }

    private boolean later(String name, String reason) {
        Retry prev = retries.get(name);
        int failures = prev == null ? 1 : prev.failures() + 1;
        Duration wait = Duration.ofSeconds(SCAN_SECONDS).multipliedBy(1L << Math.min(failures - 1, 6));
        if (wait.compareTo(MAX_RETRY) > 0) wait = MAX_RETRY;
        retries.put(name, new Retry(failures, clock.instant().plus(wait)));
        LOG.warn("pickup: {} stays in the maildrop, retry in {}s: {}", name, wait.toSeconds(), reason);
        return false;
    }

    /** Moves an entry cleanup cannot take into hold/, where mailq shows it and the operator decides. */
    private boolean quarantine(String name, String reason) {
        try {
            Files.move(maildrop.resolve(name), hold.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            retries.remove(name);
            PICKUP.warn("{}: moved to the hold queue: {}", name, reason);
            return true;
        } catch (IOException e) {
            // e.g. a server not running as root cannot move another account's 0700 entry: keep
            // trying with backoff rather than logging it every scan
            LOG.error("pickup: {}: {} — and it cannot be moved to hold: {}", name, reason, e.toString());
            return later(name, "cannot be moved to hold");
        }
    }

    private static String uidOf(Path entry, String owner) {
        try {
            return String.valueOf(Files.getAttribute(entry, "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return owner;
        }
    }

    /** Users who may set any sender without a warning: root and the user the server runs as. */
    static boolean trusted(String owner) {
        return owner.equals("root") || owner.equals(System.getProperty("user.name"));
    }

    /** What pickup hands to cleanup: the checked envelope and an optional warning header line. */
    record Submission(Envelope envelope, String warning) {

        static Submission of(QueueFile claimed, String owner, boolean trusted, ServerIdentity id) {
            String origin = id.myorigin();
            MailAddress own = MailAddress.of(owner, origin);
            MailAddress sender = qualify(claimed.sender(), origin);
            boolean setSender = "true".equals(claimed.attributes().get(ATTR_SET_SENDER));
            String warning = null;
            if (!trusted && !sender.isNullSender() && !sender.localPart().equalsIgnoreCase(owner)) {
                if (setSender) {
                    warning = "X-Authentication-Warning: " + id.myhostname() + ": " + owner + " set sender to "
                            + sender + " using -f\r\n";
                } else {
                    sender = own;
                }
            }
            List<Recipient> rcpts = new ArrayList<>();
            for (var r : claimed.recipients()) {
                rcpts.add(new Recipient(qualify(r.recipient().address(), origin), r.recipient().parameters()));
            }
            Map<String, String> attrs = new HashMap<>();
            // only what a submitter may choose; the rest is set here, whatever the file says
            for (String k : List.of(Envelope.DSN_RET, Envelope.DSN_ENVID, Envelope.BODY, Envelope.SMTPUTF8,
                    ATTR_FULL_NAME)) {
                String v = claimed.attributes().get(k);
                if (v != null) attrs.put(k, v);
            }
            attrs.put(Envelope.SOURCE, "pickup");
            attrs.put(Envelope.AUTH_USER, owner);
            return new Submission(new Envelope(sender, rcpts, attrs), warning);
        }

        private static MailAddress qualify(MailAddress a, String origin) {
            if (a.isNullSender() || !a.domain().isEmpty()) return a;
            return MailAddress.of(a.localPart(), origin);
        }
    }
}
