package org.mailhive.queue.internal;

import java.util.Locale;

/** Where one recipient of a queued message stands; the words are those written in the envelope file. */
enum RecipientStatus {
    PENDING, SENT, DEFERRED, BOUNCED;

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
}
