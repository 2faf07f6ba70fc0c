package org.mailhive.smtp.internal;

import org.mailhive.api.mail.SmtpReply;

/** One SMTP verb. Stateless: everything it changes lives in the session. */
interface SmtpCommand {

    /**
     * @param argument the text after the verb, trimmed ("" when none)
     * @return the reply to send (the session counts errors and applies the error limit)
     */
    SmtpReply execute(SmtpSession session, String argument);
}
