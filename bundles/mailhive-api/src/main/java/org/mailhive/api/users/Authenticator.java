package org.mailhive.api.users;

import java.util.Optional;

/** Checks a login and password. Implementations take care not to leak timing on unknown users. */
@org.osgi.annotation.versioning.ConsumerType
public interface Authenticator {

    /**
     * @return the account when the password is right, empty when the user is unknown or the
     *     password wrong (the two are indistinguishable to the caller by design)
     */
    Optional<MailUser> authenticate(String login, char[] password);
}
