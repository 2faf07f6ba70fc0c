package org.mailhive.pop3.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxLocator;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a right password: takes the user's POP3 lock, finds the mailbox through the same
 * MailboxLocator that delivery uses and the store of its format, and opens INBOX. Every
 * missing piece gives a defined -ERR, and whatever was taken is given back.
 */
final class MaildropOpener {

    private static final Logger LOG = LoggerFactory.getLogger(MaildropOpener.class);

    /** The open maildrop, or the refusal and a reason for the log. */
    record Result(Maildrop maildrop, Reply refusal, String reason) {
        static Result refused(Reply refusal, String reason) {
            return new Result(null, refusal, reason);
        }
    }

    private MaildropOpener() {
    }

    static Result open(Pop3Services services, MailUser user, InetAddress client, int maxUserIp) {
        MailboxLocks locks = services.locks();
        MailboxLocks.Lease userIp = locks.enterUserIp(user.name(), client, maxUserIp);
        if (userIp == null) return Result.refused(Replies.TOO_MANY_USER_IP, "mail_max_userip_connections");
        MailboxLocks.Lease lock = locks.tryLock(user.name());
        if (lock == null) {
            userIp.release();
            return Result.refused(Replies.LOCKED, "mailbox in use");
        }
        Result result = Result.refused(Replies.MAILBOX_UNAVAILABLE, "mailbox unavailable");
        Mailbox mailbox = null;
        Folder folder = null;
        try {
            MailboxLocator locator = services.locator();
            Optional<MailboxLocation> location = locator == null ? Optional.empty() : locator.locate(user);
            MailboxStore store = location.isEmpty() ? null : services.store(location.get().format());
            if (locator == null) {
                LOG.warn("no MailboxLocator service present, refusing the POP3 login of {}", user.name());
            } else if (location.isEmpty()) {
                LOG.warn("no mail location for {}", user.name());
                result = Result.refused(Replies.NO_MAIL_LOCATION, "no mail location");
            } else if (store == null) {
                LOG.warn("no MailboxStore for format {} present, refusing the POP3 login of {}",
                        location.get().format(), user.name());
            } else {
                mailbox = store.open(location.get());
                folder = mailbox.folder(MailboxStore.INBOX);
                return new Result(new Maildrop(user.name(), mailbox, folder, lock, userIp), null, null);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot open the mailbox of {}", user.name(), e);
        }
        if (folder != null) folder.close();
        if (mailbox != null) mailbox.close();
        lock.release();
        userIp.release();
        return result;
    }
}
