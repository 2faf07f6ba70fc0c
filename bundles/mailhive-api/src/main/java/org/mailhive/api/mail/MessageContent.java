package org.mailhive.api.mail;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one message (RFC 5322, CRLF line endings, not dot-stuffed), readable as often as
 * needed and never held in memory as a whole by this interface.
 */
public interface MessageContent {

    /** A fresh stream over the whole message; the caller closes it. */
    InputStream openStream() throws IOException;

    /** Size in bytes, as stored (CRLF line endings). */
    long size() throws IOException;
}
