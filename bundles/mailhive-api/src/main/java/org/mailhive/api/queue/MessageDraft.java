package org.mailhive.api.queue;

import java.io.OutputStream;
import org.mailhive.api.mail.MailException;

/**
 * A message being written. The writer streams the raw message (CRLF line endings, not
 * dot-stuffed) into {@link #content()}, then calls {@link #commit()} exactly once, or
 * {@link #abort()}. {@code commit} returns only when the message is durable (fsync'd): only then
 * may a client be told 250. Closing an uncommitted draft aborts it.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MessageDraft extends AutoCloseable {

    /** The id the message will have in the queue. */
    QueueId id();

    OutputStream content();

    /** Makes the message durable and hands it on; throws with a 4xx/5xx reply otherwise. */
    QueueId commit() throws MailException;

    /** Throws the message away; safe to call more than once and after a failed commit. */
    void abort();

    @Override
    default void close() {
        abort();
    }
}
