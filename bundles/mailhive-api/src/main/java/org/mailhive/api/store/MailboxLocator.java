package org.mailhive.api.store;

import java.util.Optional;
import org.mailhive.api.users.MailUser;

/**
 * Where a user's mail lives: {@code mail_location} (or the user's own {@code mail=} field) with
 * {@code ~}, {@code %u}, {@code %n}, {@code %d} expanded. Local delivery and the mail readers
 * (POP3, IMAP) ask the same service, so they always agree.
 */
@org.osgi.annotation.versioning.ProviderType
public interface MailboxLocator {

    /** Empty when the location cannot be built for this user (e.g. {@code ~} without a home). */
    Optional<MailboxLocation> locate(MailUser user);
}
