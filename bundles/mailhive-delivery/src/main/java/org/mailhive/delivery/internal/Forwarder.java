package org.mailhive.delivery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;

/**
 * Sends a copy on to the addresses of an alias or .forward by submitting a new message, as
 * Postfix's local(8) does through cleanup. The envelope sender stays the original one (bounces of
 * the forwarded copy go to whoever wrote it); the only change to the message is a
 * {@code Delivered-To:} line in front, which is how the copy is recognised if it ever comes back.
 */
final class Forwarder {

    static final String SOURCE_FORWARD = "forward";
    private static final EnhancedStatus SYSTEM_ERROR = EnhancedStatus.of(4, 3, 0);
    /** What a forwarded copy keeps of the original envelope: what the next hop must know about the body. */
    private static final List<String> KEPT_ATTRIBUTES = List.of(Envelope.BODY, Envelope.SMTPUTF8);

    private final String relay;

    Forwarder(String relay) {
        this.relay = relay;
    }

    /**
     * One new message for all {@code addresses}; the result is about {@code rcpt}, the recipient
     * whose alias or .forward named them.
     */
    RecipientResult forward(MessageSink sink, Envelope original, MailAddress rcpt, List<MailAddress> addresses,
            MessageContent message) {
        if (sink == null) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "cannot forward: message sink not available");
        }
        Map<String, String> attributes = new HashMap<>();
        for (String key : KEPT_ATTRIBUTES) {
            String v = original.attributes().get(key);
            if (v != null) attributes.put(key, v);
        }
        attributes.put(Envelope.SOURCE, SOURCE_FORWARD);
        Envelope envelope = new Envelope(original.sender(), addresses.stream().map(Recipient::of).toList(),
                attributes);
        MessageContent copy = PrefixedContent.withDeliveredTo(rcpt, message);
        try (MessageDraft draft = sink.open(envelope)) {
            OutputStream out = draft.content();
            try (InputStream in = copy.openStream()) {
                in.transferTo(out);
            }
            out.flush();
            QueueId id = draft.commit();
            return RecipientResult.sent(rcpt, relay, "forwarded as " + id.value());
        } catch (MailException e) {
            String why = "cannot forward: " + e.reply().summary();
            EnhancedStatus status = e.reply().status();
            if (e.isTemporary()) {
                return RecipientResult.deferred(rcpt, status == null ? SYSTEM_ERROR : status, relay, why);
            }
            return RecipientResult.bounced(rcpt, status == null ? EnhancedStatus.of(5, 3, 0) : status, relay, why);
        } catch (IOException e) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "cannot forward: " + e.getMessage());
        }
    }
}
