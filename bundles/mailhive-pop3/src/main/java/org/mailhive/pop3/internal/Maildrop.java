package org.mailhive.pop3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MessageInfo;

/**
 * A logged-in user's INBOX as POP3 sees it: the messages listed at login, numbered from 1,
 * with the ones marked by DELE. Nothing changes in the store until {@link #commit()} (QUIT).
 */
final class Maildrop implements AutoCloseable {

    private final String user;
    private final Mailbox mailbox;
    private final Folder folder;
    private final MailboxLocks.Lease lock;
    private final MailboxLocks.Lease userIp;
    private final List<MessageInfo> messages;
    private final boolean[] deleted;
    private final long uidValidity;
    private boolean closed;

    int topCount;
    long topBytes;
    int retrCount;
    long retrBytes;

    Maildrop(String user, Mailbox mailbox, Folder folder, MailboxLocks.Lease lock, MailboxLocks.Lease userIp)
            throws IOException {
        this.user = user;
        this.mailbox = mailbox;
        this.folder = folder;
        this.lock = lock;
        this.userIp = userIp;
        this.messages = List.copyOf(folder.messages());
        this.deleted = new boolean[messages.size()];
        this.uidValidity = folder.uidValidity();
    }

    String user() {
        return user;
    }

    /** Messages listed at login, deleted ones included. */
    int size() {
        return messages.size();
    }

    /** @param n a message number from 1; null when out of range */
    MessageInfo message(int n) {
        return n < 1 || n > messages.size() ? null : messages.get(n - 1);
    }

    boolean isDeleted(int n) {
        return deleted[n - 1];
    }

    void delete(int n) {
        deleted[n - 1] = true;
    }

    void undeleteAll() {
        java.util.Arrays.fill(deleted, false);
    }

    int liveCount() {
        int c = 0;
        for (boolean d : deleted) {
            if (!d) c++;
        }
        return c;
    }

    long liveSize() {
        long sum = 0;
        for (int i = 0; i < deleted.length; i++) {
            if (!deleted[i]) sum += messages.get(i).size();
        }
        return sum;
    }

    int deletedCount() {
        return messages.size() - liveCount();
    }

    /** Size of the maildrop at login, for the logout line. */
    long totalSize() {
        long sum = 0;
        for (MessageInfo m : messages) sum += m.size();
        return sum;
    }

    /** Stable across sessions while UIDVALIDITY stays: 1-70 printable characters (RFC 1939 UIDL). */
    String uniqueId(int n) {
        return Long.toHexString(uidValidity) + "." + Long.toHexString(message(n).uid());
    }

    InputStream open(int n) throws IOException {
        return folder.open(message(n).uid());
    }

    /** The UPDATE state: removes what DELE marked. @return the number actually removed */
    int commit() throws IOException {
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < deleted.length; i++) {
            if (deleted[i]) uids.add(messages.get(i).uid());
        }
        if (uids.isEmpty()) return 0;
        return folder.delete(uids).size();
    }

    /** Closes the folder and mailbox and releases the lock; nothing is deleted here. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            folder.close();
        } finally {
            try {
                mailbox.close();
            } finally {
                lock.release();
                userIp.release();
            }
        }
    }
}
