package org.mailhive.smtp.internal;

import java.net.InetAddress;

/** The socket side of a session, so that the protocol logic runs (and is tested) without one. */
interface Connection {

    InetAddress remoteAddress();

    /** Queues reply text for sending; never blocks. */
    void write(String text);

    /** Closes once what was written has been sent. */
    void close();
}
