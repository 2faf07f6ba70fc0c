package org.mailhive.api.queue;

import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;

/**
 * The one way into the mail system (Postfix's cleanup): SMTP, sendmail, bounces, forwards and
 * Sieve all submit here. The sink repairs headers and writes the message into the queue.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MessageSink {

    /**
     * Starts a message. The envelope says who sent it to whom and how it arrived (see the
     * attribute keys of {@link Envelope}).
     * @throws MailException 4xx when the queue cannot take mail now
     */
    MessageDraft open(Envelope envelope) throws MailException;
}
