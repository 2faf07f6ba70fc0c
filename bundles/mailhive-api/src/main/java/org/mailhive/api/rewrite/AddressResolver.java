package org.mailhive.api.rewrite;

import org.mailhive.api.mail.MailAddress;

/** Postfix's trivial-rewrite: canonical form, address class and transport of an address. */
@org.osgi.annotation.versioning.ProviderType
public interface AddressResolver {

    Resolution resolve(MailAddress address);
}
