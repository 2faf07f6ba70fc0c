package org.mailhive.api.users;

import java.util.Optional;
import org.mailhive.api.mail.MailAddress;

/** The accounts that can receive mail and log in. A passwd-file today; LDAP or SQL later. */
@org.osgi.annotation.versioning.ConsumerType
public interface UserDirectory {

    /** The account with this login name (case-insensitive), if any. */
    Optional<MailUser> lookup(String name);

    /** The account that owns this address (its login is the address), if any. */
    default Optional<MailUser> lookup(MailAddress address) {
        return address.isNullSender() ? Optional.empty() : lookup(address.lookupKey());
    }
}
