package org.mailhive.queue.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import org.mailhive.api.mail.Envelope;
import java.util.UUID;

/**
 * {@code queue/maildrop}: where local submissions wait for the pickup service (Postfix's postdrop
 * and maildrop). An entry has the layout of a queue entry ({@code message} + {@code envelope}) so
 * that mailq lists it like any other, but its envelope holds what the submitter claimed; pickup
 * checks that against the entry's owner before handing it to cleanup.
 *
 * <p>The directory is mode 1733 as Postfix's world-writable maildrop was: any local user may drop a
 * message, nobody but the server may list or take one away (sticky bit). An entry is written in a
 * hidden directory, fsync'd, then renamed into view — pickup never sees a half-written entry, and the
 * submitter is told "sent" only after the rename is on disk.
 */
public final class Maildrop {

    /** Name prefix of entries still being written; pickup skips them and sweeps old ones. */
    static final String PARTIAL_PREFIX = ".new-";
    private static final int MAILDROP_MODE = 01733;

    private final Path dir;
    private final QueueIds ids;

    public Maildrop(Path queueDirectory) {
        this(queueDirectory.resolve("maildrop"), new QueueIds(Clock.systemUTC()));
    }

    Maildrop(Path dir, QueueIds ids) {
        this.dir = dir;
        this.ids = ids;
    }

    public Path directory() {
        return dir;
    }

    /** Creates the maildrop directory with its mode when it is missing (offline, or first start). */
    public void create() throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir);
        setMode(dir);
    }

    static void setMode(Path dir) {
        try {
            // the "unix" view is the JDK's only way to set the sticky bit
            Files.setAttribute(dir, "unix:mode", MAILDROP_MODE);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx-wx-wx"));
            } catch (IOException | UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory keeps its default mode
            }
        }
    }

    /** Starts an entry; write the message into {@link Entry#content()}, then {@link Entry#commit}. */
    public Entry open() throws IOException {
        create();
        Path partial = dir.resolve(PARTIAL_PREFIX + UUID.randomUUID());
        Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new Entry(partial);
    }

    static void forceDirectory(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** One message being dropped. */
    public final class Entry implements AutoCloseable {
        private final Path partial;
        private final FileChannel channel;
        private final OutputStream content;
        private boolean done;

        private Entry(Path partial) throws IOException {
            this.partial = partial;
            this.channel = FileChannel.open(partial.resolve(QueueDirectory.MESSAGE), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            // closing the stream must not close the channel: commit still has to fsync it
            this.content = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }

        /** The message with CRLF line ends, as cleanup expects it. */
        public OutputStream content() {
            return content;
        }

        /**
         * Makes the entry durable and visible and returns its id: fsync message, write and fsync
         * envelope, fsync the entry, rename it into view, fsync the maildrop directory.
         */
        public String commit(Envelope envelope) throws IOException {
            if (done) throw new IOException("maildrop entry already finished");
            content.flush();
            channel.force(true);
            channel.close();
            byte[] env = EnvelopeCodec.encode(QueueFile.fresh(envelope, Instant.now())).getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(partial.resolve(QueueDirectory.ENVELOPE), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(env);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            forceDirectory(partial);
            for (int tries = 0; tries < 1000; tries++) {
                String id = ids.next();
                Path target = dir.resolve(id);
                if (Files.exists(target)) continue;
                try {
                    Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    continue;
                }
                forceDirectory(dir);
                done = true;
                return id;
            }
            throw new IOException("no free maildrop name in " + dir);
        }

        @Override
        public void close() {
            if (done) return;
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // removed below either way
            }
            try {
                QueueDirectory.deleteTree(partial);
            } catch (IOException ignored) {
                // a partial entry is swept by pickup once it is old
            }
        }
    }
}
