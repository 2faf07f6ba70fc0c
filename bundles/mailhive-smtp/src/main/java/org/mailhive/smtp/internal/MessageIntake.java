package org.mailhive.smtp.internal;

import java.io.IOException;
import org.mailhive.api.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message side of a session: DATA and BDAT octets into the queue draft, the size limit for
 * chunks, and the answer when the message ends (commit first, 250 only after it returned).
 */
final class MessageIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);

    private final SmtpSession session;
    private BdatChunk chunk;

    MessageIntake(SmtpSession session) {
        this.session = session;
    }

    /** @return true when the decoder must count the chunk's octets; false when it was answered at once */
    boolean beginChunk(BdatChunk c) {
        if (c.size() == 0) {
            chunkDone(c);
            return false;
        }
        chunk = c;
        return true;
    }

    void content(byte[] bytes, int offset, int length) {
        Transaction t = session.transaction();
        if (t == null || t.draft == null || t.writeFailed) return;
        if (chunk != null) {
            if (chunk.refusal() != null || t.sizeExceeded) return;
            t.bdatSize += length;
            long limit = session.settings().messageSizeLimit();
            if (limit > 0 && t.bdatSize > limit) {
                t.sizeExceeded = true;
                t.abortDraft();
                return;
            }
        }
        try {
            t.draft.content().write(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot write message content", t.draft.id(), e);
            t.writeFailed = true;
            t.abortDraft();
        }
    }

    void dataEnd(SmtpDecoder.DataSummary summary) {
        Transaction t = session.transaction();
        if (t == null) return;
        SmtpReply r = null;
        if (summary.bareLineEnding()) {
            r = Replies.BARE_LINE_ENDING;
        } else if (summary.limitExceeded()) {
            r = Replies.SIZE_EXCEEDED;
        }
        finish(t, r, "data");
    }

    void chunkEnd() {
        BdatChunk c = chunk;
        chunk = null;
        if (c != null) chunkDone(c);
    }

    private void chunkDone(BdatChunk c) {
        if (c.refusal() != null) {
            session.mailLog().count("bdat", false);
            session.reply(c.refusal());
            return;
        }
        Transaction t = session.transaction();
        if (t == null) return;
        if (t.sizeExceeded) {
            finish(t, Replies.SIZE_EXCEEDED, "bdat");
        } else if (t.writeFailed || t.draft == null) {
            finish(t, Replies.LOCAL_ERROR, "bdat");
        } else if (c.last()) {
            finish(t, null, "bdat");
        } else {
            session.mailLog().count("bdat", true);
            session.reply(Replies.octetsReceived(c.size()));
        }
    }

    /** Ends the transaction: commits unless {@code failure} says why not, and answers. */
    private void finish(Transaction t, SmtpReply failure, String verb) {
        session.endTransaction();
        SmtpReply r = failure;
        if (r == null) r = t.draft == null || t.writeFailed ? Replies.LOCAL_ERROR : DataCommand.commit(t.draft);
        t.abortDraft(); // no-op after a successful commit: the draft was handed over
        if (!r.isPositive()) {
            session.mailLog().reject(t.queueId, "END-OF-MESSAGE", r, t.sender, null, session.protocol(),
                    session.helo());
        }
        session.mailLog().count(verb, r.isPositive());
        session.reply(r);
    }
}
