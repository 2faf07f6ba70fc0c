package org.mailhive.api.store;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.mailhive.api.mail.MessageContent;

/**
 * A mailbox format (Maildir, mbox…). Registered with the service property {@link #FORMAT};
 * delivery picks the store whose format matches the user's {@link MailboxLocation}.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface MailboxStore {

    /** Service property: the format name, the prefix of a mail_location ({@code maildir}). */
    String FORMAT = "format";

    /** The folder every user has; other folders are named with "/" as hierarchy separator. */
    String INBOX = "INBOX";

    /**
     * Appends a message to a folder, creating the mailbox and folder when missing. Returns
     * only after the message is durable (fsync'd) and visible in the folder.
     * @param flags IMAP system flags ({@code \Seen}…) and keywords to set
     * @param internalDate the IMAP internal date; null means the time it is stored, which a
     *        store may take from the file system instead of setting it (a delivery)
     * @throws IOException when it could not be stored; nothing is left half-written
     */
    AppendResult append(MailboxLocation location, String folder, MessageContent content, Set<String> flags,
            Instant internalDate) throws IOException;

    /**
     * Opens a user's mailbox for reading and changing (POP3, IMAP). Folder names that would leave
     * the mailbox (absolute, "..", control characters) are refused with IllegalArgumentException.
     */
    Mailbox open(MailboxLocation location) throws IOException;
}
