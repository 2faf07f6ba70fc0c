package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.AddressResolver;
import org.mailhive.api.rewrite.Resolution;

/** Shared fakes for the queue tests. */
final class TestSupport {

    private TestSupport() {
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** The real disk operations, with a record of each step relative to the queue root. */
    static class RecordingOps implements DiskOps {
        final List<String> steps = new CopyOnWriteArrayList<>();
        private final Path root;
        volatile boolean failMoves;

        RecordingOps(Path root) {
            this.root = root;
        }

        private String rel(Path p) {
            return root.relativize(p).toString();
        }

        @Override
        public void fsync(FileChannel channel, Path path) throws IOException {
            steps.add("fsync " + rel(path));
            RealDiskOps.INSTANCE.fsync(channel, path);
        }

        @Override
        public void fsyncDirectory(Path dir) throws IOException {
            steps.add("fsyncdir " + rel(dir));
            RealDiskOps.INSTANCE.fsyncDirectory(dir);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            if (failMoves) throw new IOException("disk full (test)");
            steps.add("move " + rel(from) + " " + rel(to));
            RealDiskOps.INSTANCE.move(from, to);
        }
    }

    static final AddressResolver LOCAL = a -> new Resolution(a, AddressClass.LOCAL, "local", "");

    static Envelope envelope(String... rcpts) {
        return new Envelope(MailAddress.parse("sender@example.org"),
                Stream.of(rcpts).map(r -> Recipient.of(MailAddress.parse(r))).toList(), Map.of());
    }

    static Map<String, Object> transport(String name) {
        return Map.of(DeliveryAgent.TRANSPORT, name);
    }

    /** An {@code envelope} file as delivery writes it, or as a directory of the format before the entry file has it. */
    static void writeEnvelope(Path msgDir, QueueFile f) throws IOException {
        Files.writeString(msgDir.resolve(QueueDirectory.ENVELOPE), EnvelopeCodec.encode(f), StandardCharsets.UTF_8);
    }

    /** The message bytes of a queued message directory (after the envelope in its entry file). */
    static byte[] message(Path msgDir) throws IOException {
        QueueDirectory dirs = new QueueDirectory(msgDir.getParent().getParent(), new RecordingOps(msgDir.getParent().getParent()));
        try (java.io.InputStream in = dirs.read(msgDir).content().openStream()) {
            return in.readAllBytes();
        }
    }

    /** The envelope of a queued message directory: the one written last, else the one committed. */
    static QueueFile envelopeOf(Path msgDir) throws IOException {
        return new QueueDirectory(msgDir.getParent().getParent(), new RecordingOps(msgDir.getParent().getParent()))
                .readEnvelope(msgDir);
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static QueueSettings settings(Path dir, int concurrency, int window) {
        QueueSettings d = QueueSettings.defaults(dir);
        return new QueueSettings(dir, d.minimalBackoff(), d.maximalBackoff(), d.queueRunDelay(),
                d.maximalLifetime(), concurrency, window);
    }
}
