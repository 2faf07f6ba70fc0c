package org.mailhive.smtp.internal;

import java.util.Locale;
import org.mailhive.api.mail.SmtpReply;

/**
 * BDAT (RFC 3030 CHUNKING). The chunk's octets always follow the command, so they are consumed
 * even when the command is refused; the reply is given at the end of the chunk.
 */
final class BdatCommand implements SmtpCommand {

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        String[] parts = argument.split(" +");
        boolean last = parts.length == 2 && parts[1].toUpperCase(Locale.ROOT).equals("LAST");
        String size = parts[0];
        if (size.isEmpty() || size.length() > 18 || !size.chars().allMatch(c -> c >= '0' && c <= '9')
                || parts.length > 2 || (parts.length == 2 && !last)) {
            // Without a size we cannot know where the chunk ends: the stream is out of step.
            return session.closeAfter(Replies.BDAT_SYNTAX);
        }
        long n = Long.parseLong(size);
        Transaction tx = session.transaction();
        SmtpReply refusal = null;
        if (tx == null) {
            refusal = Replies.NEED_MAIL;
        } else if (tx.recipients.isEmpty()) {
            refusal = Replies.NO_VALID_RECIPIENTS;
        } else if (tx.draft == null && !tx.sizeExceeded) {
            tx.bdat = true;
            refusal = DataCommand.openDraft(session, tx);
            if (refusal != null) session.resetTransaction();
        }
        session.beginChunk(new BdatChunk(n, last, refusal));
        return null;
    }
}
