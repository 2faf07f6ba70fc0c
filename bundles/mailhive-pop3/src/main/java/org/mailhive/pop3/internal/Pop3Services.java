package org.mailhive.pop3.internal;

import java.net.InetAddress;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.store.MailboxLocator;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.api.users.Authenticator;

/** What sessions take from the listener; each getter reads a dynamic reference once, null when absent. */
interface Pop3Services {

    ServerIdentity identity();

    Authenticator authenticator();

    MailboxLocator locator();

    MailboxStore store(String format);

    TlsContextProvider tls();

    MailboxLocks locks();

    /** True for a client on this host, which may log in without TLS (disable_plaintext_auth). */
    boolean isLocalClient(InetAddress client);
}
