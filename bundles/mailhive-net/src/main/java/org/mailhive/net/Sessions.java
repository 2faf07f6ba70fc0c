package org.mailhive.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small helpers every protocol's I/O handler needs. */
public final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private Sessions() {
    }

    public static InetAddress remoteAddress(IoSession session) {
        return ((InetSocketAddress) session.getRemoteAddress()).getAddress();
    }

    public static InetAddress localAddress(IoSession session) {
        return ((InetSocketAddress) session.getLocalAddress()).getAddress();
    }

    /**
     * The handler's exceptionCaught: an I/O error is the client's business (a reset, a failed
     * handshake) and logged at debug; anything else is ours and logged as an error. Either way
     * the connection closes at once.
     */
    public static void failed(IoSession session, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection {}: {}", session.getRemoteAddress(), cause.toString());
        } else {
            LOG.error("connection {}: unexpected error, closing", session.getRemoteAddress(), cause);
        }
        session.closeNow();
    }
}
