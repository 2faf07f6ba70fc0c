package org.mailhive.queue.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message being written into {@code tmp/<id>/}. Commit makes it durable in this order: fsync
 * message, write and fsync envelope, fsync {@code tmp/<id>}, rename into {@code incoming/},
 * fsync {@code incoming/} — only then is the id returned, so a 250 always names a message that
 * survives a crash.
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

    FileDraft(QueueDirectory dirs, QueueId id, QueueFile file, CommitListener listener) throws IOException {
        this.dirs = dirs;
        this.id = id;
        this.dir = dirs.tmp.resolve(id.value());
        this.messageFile = dir.resolve(QueueDirectory.MESSAGE);
        this.file = file;
        this.listener = listener;
        this.channel = FileChannel.open(messageFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
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
        try {
            buffered.flush();
            dirs.ops.fsync(channel, messageFile);
            channel.close();
            dirs.writeEnvelope(dir, file);
            dirs.ops.fsyncDirectory(dir);
            dirs.ops.move(dir, dirs.incoming.resolve(id.value()));
            dirs.ops.fsyncDirectory(dirs.incoming);
        } catch (IOException | RuntimeException e) {
            abort();
            throw MailException.temporary(id + ": cannot write queue file: " + e, e);
        }
        finished = true;
        listener.committed(id, file, size);
        return id;
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
