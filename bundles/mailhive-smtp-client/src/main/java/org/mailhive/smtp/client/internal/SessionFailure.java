package org.mailhive.smtp.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.mailhive.api.mail.EnhancedStatus;

/**
 * A session that could not be set up with one host. The next host is tried, and when none is
 * left the recipients are deferred with the last reason; a loop ends the attempt at once.
 */
final class SessionFailure extends Exception {

    private static final long serialVersionUID = 1L;

    final EnhancedStatus dsn;
    final boolean loop;
    /** The TLS handshake failed: at level may the same host is tried again without TLS. */
    final boolean tlsHandshake;

    SessionFailure(EnhancedStatus dsn, String reason, boolean loop, boolean tlsHandshake) {
        super(reason);
        this.dsn = dsn;
        this.loop = loop;
        this.tlsHandshake = tlsHandshake;
    }

    SessionFailure(EnhancedStatus dsn, String reason, boolean loop) {
        this(dsn, reason, loop, false);
    }

    SessionFailure(EnhancedStatus dsn, String reason) {
        this(dsn, reason, false);
    }

    /** Postfix's wording for a broken conversation: "timed out while ..." or "lost connection ... while ...". */
    static SessionFailure io(SmtpConnection c, IOException e, String phase) {
        return new SessionFailure(EnhancedStatus.of(4, 4, 2), describe(c, e, phase));
    }

    static String describe(SmtpConnection c, IOException e, String phase) {
        if (e instanceof SocketTimeoutException) {
            return "conversation with " + c.peer() + " timed out while " + phase;
        }
        if (e instanceof SmtpConnection.ProtocolException) {
            return "conversation with " + c.peer() + " failed while " + phase + ": " + e.getMessage();
        }
        if (e instanceof EOFException) {
            return "lost connection with " + c.peer() + " while " + phase;
        }
        return "lost connection with " + c.peer() + " while " + phase + ": " + e.getMessage();
    }

    /** A refusal turned into a temporary code: only the final host's answer to a recipient may bounce it. */
    static EnhancedStatus temporary(EnhancedStatus s) {
        return s.klass() == 4 ? s : EnhancedStatus.of(4, s.subject(), s.detail());
    }
}
