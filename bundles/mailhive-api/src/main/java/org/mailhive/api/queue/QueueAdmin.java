package org.mailhive.api.queue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Operator actions on the queue (Postfix's mailq, postqueue and postsuper). An id list may be the
 * single word {@code ALL}. Each action returns how many messages it affected.
 */
@org.osgi.annotation.versioning.ProviderType
public interface QueueAdmin {

    String ALL = "ALL";

    /** Every queued message, oldest first. */
    List<QueueEntry> list() throws IOException;

    Optional<QueueEntry> show(QueueId id) throws IOException;

    /** Headers of the queued message, for {@code queue show}. */
    Optional<String> headers(QueueId id) throws IOException;

    /** Tries deferred messages now: all of them, or those with a recipient in {@code domain}. */
    int flush(String domainOrNull) throws IOException;

    int delete(List<String> ids) throws IOException;

    int hold(List<String> ids) throws IOException;

    int release(List<String> ids) throws IOException;

    int requeue(List<String> ids) throws IOException;
}
