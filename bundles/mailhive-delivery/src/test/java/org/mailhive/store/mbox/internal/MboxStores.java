package org.mailhive.store.mbox.internal;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.mailhive.api.store.MailboxStore;

/**
 * Delivery's contract tests need a restart of the mbox store that forgets everything the process
 * knew (the shared registry caches UID indexes): this helper lives in the store's package only to
 * reach its package-private constructor, as the store's own tests do.
 */
public final class MboxStores {

    private MboxStores() {
    }

    /** A store as after a JVM restart: its own registry, activated with the default configuration. */
    public static MailboxStore fresh() {
        MboxStore store = new MboxStore(new MboxRegistry(), ZoneOffset.UTC, Clock.systemUTC());
        store.configure(Map.of());
        return store;
    }
}
