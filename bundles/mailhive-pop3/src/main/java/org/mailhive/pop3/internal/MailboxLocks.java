package org.mailhive.pop3.internal;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds which maildrop, shared by every POP3 listener of this bundle: RFC 1939 wants an
 * exclusive lock, so that two sessions cannot both delete from one mailbox. In memory only;
 * a second Mailhive node sharing the mailboxes would need a store-level lock.
 */
final class MailboxLocks {

    /** The one table of the bundle, so the pop3 and pop3s listeners see each other's sessions. */
    static final MailboxLocks SHARED = new MailboxLocks();

    /** Held while a session is logged in; release exactly once. */
    interface Lease {
        void release();
    }

    private final Map<String, Object> locked = new ConcurrentHashMap<>();
    private final Map<String, Integer> userIp = new ConcurrentHashMap<>();

    /** @return the lease, or null when another session holds this user's maildrop */
    Lease tryLock(String user) {
        String key = user.toLowerCase(Locale.ROOT);
        Object owner = new Object();
        if (locked.putIfAbsent(key, owner) != null) return null;
        return () -> locked.remove(key, owner);
    }

    boolean isLocked(String user) {
        return locked.containsKey(user.toLowerCase(Locale.ROOT));
    }

    /**
     * Counts a logged-in session of this user from this address (Dovecot's
     * mail_max_userip_connections). @return null when {@code max} sessions are open already
     */
    Lease enterUserIp(String user, InetAddress client, int max) {
        String key = user.toLowerCase(Locale.ROOT) + "/" + client.getHostAddress();
        boolean[] admitted = new boolean[1];
        userIp.compute(key, (k, open) -> {
            int n = open == null ? 0 : open;
            if (n >= max) return open;
            admitted[0] = true;
            return n + 1;
        });
        if (!admitted[0]) return null;
        return () -> userIp.computeIfPresent(key, (k, open) -> open <= 1 ? null : open - 1);
    }
}
