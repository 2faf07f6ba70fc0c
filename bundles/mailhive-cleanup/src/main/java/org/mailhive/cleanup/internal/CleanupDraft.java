package org.mailhive.cleanup.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Set;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message passing through cleanup into a queue draft: size counted as received, header
 * repaired on the way. Over the size limit the rest is discarded and commit answers 552.
 */
final class CleanupDraft implements MessageDraft {

    private static final Logger CLEANUP = LoggerFactory.getLogger("mail.cleanup");
    /** The sender's full name a local submission gave (sendmail -F), for a From: added here. */
    static final String FULL_NAME = "sender.fullname";
    static final SmtpReply TOO_BIG = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit");

    private final MessageDraft queued;
    private final Envelope envelope;
    private final CleanupSettings settings;
    private final String host;
    private final ZonedDateTime now;
    private final HeaderRepairStream repair;
    private final OutputStream content;
    private long received;
    private boolean tooBig;
    private String addedId;

    CleanupDraft(MessageDraft queued, Envelope envelope, CleanupSettings settings, String host, ZonedDateTime now) {
        this.queued = queued;
        this.envelope = envelope;
        this.settings = settings;
        this.host = host;
        this.now = now;
        byte[] prefix = HeaderText.received(envelope, host, queued.id().value(), now)
                .getBytes(StandardCharsets.UTF_8);
        this.repair = new HeaderRepairStream(queued.content(), settings.headerSizeLimit(), prefix, this::missing);
        this.content = new Limit();
    }

    @Override
    public QueueId id() {
        return queued.id();
    }

    @Override
    public OutputStream content() {
        return content;
    }

    @Override
    public QueueId commit() throws MailException {
        if (tooBig) {
            queued.abort();
            throw new MailException(TOO_BIG, queued.id() + ": message size exceeds message_size_limit "
                    + settings.messageSizeLimit());
        }
        try {
            repair.finish();
        } catch (IOException e) {
            queued.abort();
            throw MailException.temporary(queued.id() + ": cannot write queue file: " + e, e);
        }
        String id = repair.messageId() != null ? repair.messageId() : addedId;
        CLEANUP.info("{}: message-id={}", queued.id(), id == null ? "" : id);
        return queued.commit();
    }

    @Override
    public void abort() {
        queued.abort();
    }

    /** The headers to add where the header section ends, given the (lower-case) names it had. */
    private byte[] missing(Set<String> seen) {
        StringBuilder sb = new StringBuilder();
        if (!seen.contains("message-id")) {
            addedId = HeaderText.messageId(queued.id().value(), now, host);
            sb.append("Message-ID: ").append(addedId).append("\r\n");
        }
        if (!seen.contains("date")) {
            sb.append("Date: ").append(HeaderText.date(now)).append("\r\n");
        }
        boolean local = envelope.attribute(Envelope.CLIENT_ADDRESS, "").isEmpty();
        if (!seen.contains("from") && (settings.alwaysAddMissingHeaders() || local)) {
            String from = envelope.sender().isNullSender() ? "MAILER-DAEMON@" + host : envelope.sender().toString();
            String name = envelope.attribute(FULL_NAME, "");
            sb.append("From: ").append(name.isBlank() ? "" : HeaderText.displayName(name) + " ")
                    .append('<').append(HeaderText.clean(from)).append(">\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Counts what the client sends; once over the limit nothing more reaches the disk. */
    private final class Limit extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            if (admit(1)) repair.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (admit(len)) repair.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!tooBig) repair.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private boolean admit(int n) {
            received += n;
            long limit = settings.messageSizeLimit();
            if (limit > 0 && received > limit) tooBig = true;
            return !tooBig;
        }
    }
}
