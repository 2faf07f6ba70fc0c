package org.mailhive.smtp.internal;

import java.net.InetAddress;
import java.time.Duration;

/** The socket side of a session, so that the protocol logic runs (and is tested) without one. */
interface Connection {

    InetAddress remoteAddress();

    /** Queues reply text for sending; never blocks. */
    void write(String text);

    /** Closes once what was written has been sent. */
    void close();

    /**
     * Sends {@code plaintext} unencrypted and puts TLS under everything that follows (STARTTLS).
     * Input that reaches the session afterwards without having passed TLS is reported as not
     * secured, so the session can drop what a client pipelined in plaintext.
     * @return false when TLS cannot start (no TLS provider, bad settings); nothing was sent then
     */
    boolean startTls(String plaintext);

    /** "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384" once the handshake is done, else null. */
    String tlsDescription();

    /**
     * Stops reading now and, after {@code delay}, calls {@link SmtpSession#resume()} on the
     * session's worker (in order with its other events) and reads again. No thread waits meanwhile.
     */
    void resumeLater(Duration delay);
}
