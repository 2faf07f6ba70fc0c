package org.mailhive.api.store;

import java.time.Instant;
import java.util.Set;

/**
 * One message of a folder as listed: its UID, size in bytes with CRLF line endings (what POP3
 * LIST and IMAP RFC822.SIZE report, whatever the store keeps on disk), flags (IMAP system flags
 * such as {@code \Seen} and keywords) and internal date.
 */
public record MessageInfo(long uid, long size, Set<String> flags, Instant internalDate) {

    public MessageInfo {
        flags = Set.copyOf(flags);
    }

    public boolean hasFlag(String flag) {
        for (String f : flags) {
            if (f.equalsIgnoreCase(flag)) return true;
        }
        return false;
    }
}
