package org.mailhive.cleanup.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MailQueue;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;

/** A queue in memory that records what cleanup does with its drafts. */
final class FakeQueue implements MailQueue {

    final List<Draft> drafts = new ArrayList<>();
    MailException failCommit;

    @Override
    public MessageDraft create(Envelope envelope) {
        Draft d = new Draft(new QueueId("3F2A9C1B07"), envelope);
        drafts.add(d);
        return d;
    }

    final class Draft implements MessageDraft {
        final QueueId id;
        final Envelope envelope;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int commits;
        int aborts;

        Draft(QueueId id, Envelope envelope) {
            this.id = id;
            this.envelope = envelope;
        }

        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public QueueId id() {
            return id;
        }

        @Override
        public OutputStream content() {
            return bytes;
        }

        @Override
        public QueueId commit() throws MailException {
            commits++;
            if (failCommit != null) throw failCommit;
            return id;
        }

        @Override
        public void abort() {
            aborts++;
        }
    }
}
