package org.mailhive.api.delivery;

/** Outcome of one recipient's delivery attempt, as in Postfix's {@code status=}. */
public enum DeliveryStatus {
    /** Delivered (or handed on): the recipient is done. */
    SENT,
    /** Temporary failure: try again later. */
    DEFERRED,
    /** Permanent failure: return to sender. */
    BOUNCED
}
