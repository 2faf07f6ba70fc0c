package org.mailhive.queue.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
 * A message being written into a directory of {@code tmp/} ({@code tmp/<id>}, or a free entry of
 * the {@link EntryPool}), as one {@link QueueEntryFile}: the envelope,
 * known before the first byte of the message, is written first. Commit makes it durable before
 * it returns the id, so a 250 always names a message that survives a crash:
 * <ol>
 * <li>fsync the entry file, and its directory (which holds its name) at the same time
 * ({@link GroupCommit#together}), all finished before step 2. A reused directory
 * ({@link EntryPool}) whose entry file was already there gets no fsync of its own: rewriting a
 * file changes no directory entry, and the entry became durable when the directory was first
 * committed. A reused file is written over in place and then cut to its new length, not
 * truncated first: its blocks stay allocated, so the fsync writes the data and no allocation,
 * and no block is freed (on a disk mounted with {@code discard}, every freed block is a request
 * to the device);</li>
 * <li>rename the directory to {@code incoming/<id>}: the queue manager can only ever see a
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
    private final Path entryFile;
    private final QueueFile file;
    private final CommitListener listener;
    private final FileChannel channel;
    private final BufferedOutputStream buffered;
    private final OutputStream content;
    private final int headerLength;
    private long size;
    private volatile boolean finished;
    /** The entry file was created, not reused: the directory's entries must be fsync'd too. */
    private final boolean created;

    /** @param dir where the draft is written: {@code tmp/<id>}, or a free entry of the pool in tmp/ */
    FileDraft(QueueDirectory dirs, QueueId id, Path dir, QueueFile file, CommitListener listener) throws IOException {
        this.dirs = dirs;
        this.id = id;
        this.dir = dir;
        this.entryFile = dir.resolve(QueueEntryFile.NAME);
        this.file = file;
        this.listener = listener;
        // the directory is ours alone; it may be a reused one whose entry file is written over
        FileChannel ch;
        boolean made = false;
        try {
            ch = FileChannel.open(entryFile, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            ch = FileChannel.open(entryFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            made = true;
        }
        this.channel = ch;
        this.created = made;
        // most messages fit; a large one costs a write per 16 KiB, next to its fsync nothing
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
        try {
            byte[] header = QueueEntryFile.header(file);
            buffered.write(header);
            this.headerLength = header.length;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
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
            long length = headerLength + size;
            // a reused file may have held a longer message; FileChannel.truncate would cost two
            // seeks besides the stat even when nothing is cut
            if (!created && channel.size() > length) channel.truncate(length);
            List<ParallelSteps.Step> steps = new ArrayList<>(2);
            steps.add(() -> dirs.ops.fsync(channel, entryFile));
            if (created) steps.add(() -> dirs.ops.fsyncDirectory(dir));
            GroupCommit.together(steps);
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
