package org.mailhive.pop3.internal;

import java.net.InetAddress;
import java.time.Duration;

/** The socket side of a session, so that the protocol logic runs (and is tested) without one. */
interface Connection {

    InetAddress remoteAddress();

    InetAddress localAddress();

    /** Queues {@code length} bytes of {@code bytes} for sending; the array now belongs to the connection. Never blocks. */
    void write(byte[] bytes, int length);

    /** Bytes queued but not yet handed to the socket. */
    long pendingBytes();

    /** Calls {@link Pop3Session#drained()} on the session's worker once everything queued so far is sent. */
    void notifyWhenDrained();

    /** Closes once what was queued has been sent. */
    void close();

    /** Closes at once, dropping what was not sent (a client that stopped reading). */
    void abort();

    /**
     * Sends {@code plaintext} unencrypted and puts TLS under all that follows (STLS). Input
     * that reaches the session afterwards without having passed TLS is reported as not secured.
     * @return false when TLS cannot start; nothing was sent then
     */
    boolean startTls(byte[] plaintext);

    /** "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384" once TLS is on, else null. */
    String tlsDescription();

    /** Calls {@link Pop3Session#prefetch()} on the session's worker, after what it has queued already. */
    void prefetchLater();

    /** Calls {@link Pop3Session#resume()} on the session's worker after {@code delay}; no thread waits meanwhile. */
    void resumeLater(Duration delay);

    /** Stops or restarts reading from the client (too much pipelined input waiting). */
    void readSuspended(boolean suspended);
}
