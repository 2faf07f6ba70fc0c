package org.mailhive.api.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailhive.api.mail.MessageContent;

/**
 * One open folder. UIDs are strictly increasing within a UIDVALIDITY and survive restarts; a
 * store that loses them (index rebuilt) must change UIDVALIDITY. Methods may be called from
 * several threads; every change is durable when the method returns.
 */
@org.osgi.annotation.versioning.ProviderType
public interface Folder extends AutoCloseable {

    String name();

    long uidValidity();

    /** The UID the next appended message will get. */
    long uidNext() throws IOException;

    /** The messages now in the folder, in UID order; a snapshot, rescanned on every call. */
    List<MessageInfo> messages() throws IOException;

    /** The raw message with CRLF line endings, streamed; throws NoSuchFileException for an unknown UID. */
    InputStream open(long uid) throws IOException;

    /**
     * The header section of a message, for listings and IMAP FETCH without re-reading the message;
     * throws NoSuchFileException for an unknown UID like {@link #open}. This default reads
     * {@link #open} up to the end of the header (see {@link MessageHeaders#read}); stores that keep
     * a header cache override it.
     */
    default MessageHeaders headers(long uid) throws IOException {
        try (InputStream in = open(uid)) {
            return MessageHeaders.read(in);
        }
    }

    /** Appends like {@link MailboxStore#append} and returns the new UID. */
    long append(MessageContent content, Set<String> flags, Instant internalDate) throws IOException;

    /** Changes the flags of these messages; unknown UIDs are skipped. */
    void setFlags(Collection<Long> uids, Set<String> flags, FlagMode mode) throws IOException;

    /** Removes these messages for good (POP3 DELE + QUIT); returns the UIDs actually removed. */
    List<Long> delete(Collection<Long> uids) throws IOException;

    /** Removes every message flagged {@code \Deleted} (IMAP EXPUNGE); returns their UIDs. */
    List<Long> expunge() throws IOException;

    /** Copies messages into another folder of the same mailbox; returns old UID → new UID. */
    Map<Long, Long> copyTo(Collection<Long> uids, String target) throws IOException;

    /** Sum of the sizes of all messages, for quota and POP3 STAT. */
    default long totalSize() throws IOException {
        long sum = 0;
        for (MessageInfo m : messages()) sum += m.size();
        return sum;
    }

    @Override
    void close();
}
