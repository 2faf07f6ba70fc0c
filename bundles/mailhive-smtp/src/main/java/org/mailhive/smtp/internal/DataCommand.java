package org.mailhive.smtp.internal;

import java.util.HashMap;
import java.util.Map;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DATA: opens the queue draft first, so that a queue that cannot take mail answers before the client sends it. */
final class DataCommand implements SmtpCommand {

    private static final Logger LOG = LoggerFactory.getLogger(DataCommand.class);

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        if (!argument.isEmpty()) return Replies.NO_ARGUMENTS;
        Transaction tx = session.transaction();
        if (tx == null) return Replies.NEED_MAIL;
        if (tx.bdat) return Replies.DATA_AFTER_BDAT;
        if (tx.recipients.isEmpty()) return Replies.NO_VALID_RECIPIENTS;
        SmtpReply refused = openDraft(session, tx);
        if (refused != null) return refused;
        session.beginData(tx.draft);
        return Replies.START_DATA;
    }

    /** Opens the queue file for the transaction (DATA and the first BDAT); null when open. */
    static SmtpReply openDraft(SmtpSession session, Transaction tx) {
        MessageSink sink = session.services().sink();
        if (sink == null) {
            LOG.warn("listener {}: no MessageSink service present, answering 451", session.listener());
            return Replies.UNAVAILABLE;
        }
        Map<String, String> attrs = new HashMap<>(tx.attributes);
        attrs.put(Envelope.CLIENT_ADDRESS, session.clientAddress().getHostAddress());
        attrs.put(Envelope.CLIENT_NAME, session.clientName());
        attrs.put(Envelope.HELO, session.helo());
        attrs.put(Envelope.PROTOCOL, session.protocol());
        attrs.put(Envelope.SOURCE, session.listener());
        session.authenticatedUser().ifPresent(u -> attrs.put(Envelope.AUTH_USER, u));
        String tls = session.tlsDescription();
        if (tls != null) attrs.put(Envelope.TLS, tls);
        Envelope envelope = new Envelope(tx.sender, tx.recipients, attrs);
        MessageDraft draft;
        try {
            draft = sink.open(envelope);
        } catch (MailException e) {
            LOG.warn("listener {}: queue refused a message: {}", session.listener(), e.getMessage());
            return e.reply();
        } catch (RuntimeException e) {
            LOG.error("listener {}: cannot open a queue file", session.listener(), e);
            return Replies.UNAVAILABLE;
        }
        if (session.transaction() == tx && tx.draft == null) {
            session.draftOpened(draft);
        }
        return null;
    }

    /** Only a returned commit means the message is on disk: then, and only then, 250. */
    static SmtpReply commit(MessageDraft draft) {
        try {
            draft.content().flush();
            return Replies.queued(draft.commit().value());
        } catch (MailException e) {
            LOG.warn("{}: queue did not take the message: {}", draft.id(), e.getMessage());
            draft.abort();
            return e.reply().isPositive() ? Replies.LOCAL_ERROR : e.reply();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("{}: commit failed", draft.id(), e);
            draft.abort();
            return Replies.LOCAL_ERROR;
        }
    }
}
