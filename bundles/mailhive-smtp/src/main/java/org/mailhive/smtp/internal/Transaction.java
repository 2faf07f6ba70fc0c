package org.mailhive.smtp.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.MessageDraft;

/** One MAIL transaction: from MAIL to the end of DATA, RSET, HELO or the end of the connection. */
final class Transaction {

    final MailAddress sender;
    final List<Recipient> recipients = new ArrayList<>();
    /** Envelope attributes from the MAIL parameters (BODY, SMTPUTF8, RET, ENVID). */
    final Map<String, String> attributes = new HashMap<>();
    MessageDraft draft;
    /** The queue id of the draft, kept for the log after the draft is gone. */
    String queueId;
    /** The draft stream failed: the message must not be committed. */
    boolean writeFailed;
    /** BDAT was used: DATA may no longer be (RFC 3030 section 3). */
    boolean bdat;
    /** Octets received in BDAT chunks so far, against message_size_limit. */
    long bdatSize;
    /** A BDAT chunk took the message past the limit: the rest is consumed and 552 answered. */
    boolean sizeExceeded;

    Transaction(MailAddress sender) {
        this.sender = sender;
    }

    boolean smtputf8() {
        return attributes.containsKey(Envelope.SMTPUTF8);
    }

    /** Throws away an open draft; harmless when there is none. */
    void abortDraft() {
        MessageDraft d = draft;
        draft = null;
        if (d != null) d.abort();
    }
}
