package org.mailhive.api.dns;

/**
 * A lookup that did not give an answer: temporary (timeout, SERVFAIL — try again later) or
 * permanent (the name does not exist). A name that exists without records of the type asked
 * is not an error: the answer is an empty list.
 */
public class DnsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean temporary;

    public DnsException(String message, boolean temporary) {
        super(message);
        this.temporary = temporary;
    }

    public boolean isTemporary() {
        return temporary;
    }

    /** NXDOMAIN. */
    public boolean isNotFound() {
        return !temporary;
    }
}
