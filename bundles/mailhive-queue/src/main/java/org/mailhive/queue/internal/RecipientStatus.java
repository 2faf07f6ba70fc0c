package org.mailhive.queue.internal;

import java.util.Locale;

/** Where one recipient of a queued message stands; the words are those written in the envelope file. */
enum RecipientStatus {
    PENDING, SENT, DEFERRED,
    /** Failed for good and the sender has been told (or asked not to be). */
    BOUNCED,
    /** Failed for good; the notice to the sender is not queued yet, so the message must stay. */
    BOUNCING;

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RecipientStatus fromWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** Still owed a delivery attempt. */
    boolean open() {
        return this == PENDING || this == DEFERRED;
    }

    /** Keeps the message in the queue: still to deliver, or still to report. */
    boolean unfinished() {
        return open() || this == BOUNCING;
    }
}
