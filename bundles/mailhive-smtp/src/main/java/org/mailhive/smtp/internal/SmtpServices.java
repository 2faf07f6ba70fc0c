package org.mailhive.smtp.internal;

import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.api.users.Authenticator;

/**
 * The services a session uses, read once per operation because each may come and go at any
 * time; null means "not present now" and every caller has an answer for that.
 */
interface SmtpServices {

    ServerIdentity identity();

    MessageSink sink();

    Check check(String name);

    TlsContextProvider tls();

    Authenticator authenticator();

    /** AUTH failures per client address, shared by the listener's sessions. */
    AuthFailures authFailures();
}
