package org.mailhive.queue.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.io.ParallelSteps;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message being written into {@code tmp/<id>/}. Commit makes it durable before it returns the
 * id, so a 250 always names a message that survives a crash:
 * <ol>
 * <li>write the envelope; then fsync the message file, the envelope file and {@code tmp/<id>}
 * (which holds their two entries) at the same time ({@link GroupCommit#together}): three
 * independent fsyncs, all finished before step 2, so a journaling file system commits them in
 * one transaction instead of three in a row. A reused directory ({@link EntryPool}) whose two
 * files were already there gets no fsync of its own: rewriting a file changes no directory
 * entry, and the entries became durable when the directory was first committed. A reused file
 * is written over in place and then cut to its new length, not truncated first: its blocks
 * stay allocated, so the fsync writes the data and no allocation, and no block is freed (on a
 * disk mounted with {@code discard}, every freed block is a request to the device);</li>
 * <li>rename {@code tmp/<id>} to {@code incoming/<id>}: the queue manager can only ever see a
 * complete message, because its content and entries were durable before the rename;</li>
 * <li>fsync {@code incoming/} through {@link GroupCommit#syncDirectory}: concurrent commits share
 * one fsync, and each returns only after an fsync that started after its own rename — the rename
 * is durable exactly as if this commit had called fsync alone.</li>
 * </ol>
 * If any step fails the draft is taken back out of incoming/ and removed, and the caller answers
 * 4xx: never acknowledged, so nothing is lost; if the queue manager already picked it up, it may
 * be delivered as well as retried by the client — a duplicate, never a loss.
 */
final class FileDraft implements MessageDraft {

    private static final Logger LOG = LoggerFactory.getLogger(FileDraft.class);

    /** Told about a message once it is durable in incoming/. */
    interface CommitListener {
        void committed(QueueId id, QueueFile file, long size);
    }

    private final QueueDirectory dirs;
    private final QueueId id;
    private final Path dir;
    private final Path messageFile;
    private final QueueFile file;
    private final CommitListener listener;
    private final FileChannel channel;
    private final BufferedOutputStream buffered;
    private final OutputStream content;
    private long size;
    private volatile boolean finished;
    /** A file of the entry was created, not reused: the directory's entries must be fsync'd too. */
    private boolean created;
    private final boolean messageReused;

    FileDraft(QueueDirectory dirs, QueueId id, QueueFile file, CommitListener listener) throws IOException {
        this.dirs = dirs;
        this.id = id;
        this.dir = dirs.tmp.resolve(id.value());
        this.messageFile = dir.resolve(QueueDirectory.MESSAGE);
        this.file = file;
        this.listener = listener;
        // the directory is ours alone; it may be a reused one whose old files are overwritten
        Opened opened = openForWriting(messageFile);
        this.channel = opened.channel();
        this.messageReused = opened.reused();
        // most messages fit; a large one costs a write per 16 KiB, next to its fsync nothing
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
        this.content = new Content();
    }

    @Override
    public QueueId id() {
        return id;
    }

    @Override
    public OutputStream content() {
        return content;
    }

    @Override
    public synchronized QueueId commit() throws MailException {
        if (finished) {
            throw MailException.temporary(id + ": commit of a closed draft", null);
        }
        Path visible = dirs.incoming.resolve(id.value());
        boolean moved = false;
        try {
            buffered.flush();
            if (messageReused) cut(channel, size); // it may have held a longer message
            Path envelopeFile = dir.resolve(QueueDirectory.ENVELOPE);
            try (FileChannel envelope = writeEnvelope(envelopeFile)) {
                List<ParallelSteps.Step> steps = new ArrayList<>(3);
                steps.add(() -> dirs.ops.fsync(channel, messageFile));
                steps.add(() -> dirs.ops.fsync(envelope, envelopeFile));
                if (created) steps.add(() -> dirs.ops.fsyncDirectory(dir));
                GroupCommit.together(steps);
            }
            channel.close();
            dirs.ops.move(dir, visible);
            moved = true;
            dirs.incomingSync.syncDirectory();
        } catch (IOException | RuntimeException e) {
            if (moved) takeBack(visible);
            abort();
            throw MailException.temporary(id + ": cannot write queue file: " + e, e);
        }
        finished = true;
        listener.committed(id, file, size);
        return id;
    }

    private FileChannel writeEnvelope(Path envelopeFile) throws IOException {
        byte[] bytes = EnvelopeCodec.encode(file).getBytes(StandardCharsets.UTF_8);
        Opened opened = openForWriting(envelopeFile);
        FileChannel ch = opened.channel();
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            if (opened.reused()) cut(ch, bytes.length);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens the file of a reused entry to be written over from the start (the caller cuts it to
     * its new length), or creates it and notes that the directory changed.
     */
    private Opened openForWriting(Path f) throws IOException {
        try {
            return new Opened(FileChannel.open(f, StandardOpenOption.WRITE), true);
        } catch (NoSuchFileException e) {
            created = true;
            return new Opened(FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), false);
        }
    }

    private record Opened(FileChannel channel, boolean reused) {}

    /** FileChannel.truncate costs two seeks besides the stat even when nothing is cut. */
    private static void cut(FileChannel ch, long length) throws IOException {
        if (ch.size() > length) ch.truncate(length);
    }

    /** Back from incoming/ to tmp/ after a failed fsync, so that abort removes it. */
    private void takeBack(Path visible) {
        try {
            dirs.ops.move(visible, dir);
        } catch (IOException | RuntimeException e) {
            // the queue manager took it already: it will be delivered, and perhaps again after the 4xx
            LOG.warn("{}: not durable but already picked up; the client's retry may duplicate it: {}", id, e.toString());
        }
    }

    @Override
    public synchronized void abort() {
        if (finished) return;
        finished = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: closing aborted queue file", id, e);
        }
        try {
            QueueDirectory.deleteTree(dir);
        } catch (IOException e) {
            // tmp/ is swept at the next start; the message was never acknowledged
            LOG.warn("{}: cannot remove aborted queue file {}: {}", id, dir, e.toString());
        }
    }

    /** The writer may close the stream; the file stays open until commit or abort. */
    private final class Content extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            check();
            buffered.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            buffered.write(b, off, len);
            size += len;
        }

        @Override
        public void flush() throws IOException {
            if (!finished) buffered.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void check() throws IOException {
            if (finished) throw new IOException(id + ": queue file already committed or aborted");
        }
    }
}
