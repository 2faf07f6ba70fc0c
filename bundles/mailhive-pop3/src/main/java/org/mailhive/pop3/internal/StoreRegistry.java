package org.mailhive.pop3.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mailhive.api.store.MailboxStore;
import org.osgi.framework.Constants;

/** The MailboxStore services present now, found by their format property (highest ranking wins). */
final class StoreRegistry {

    private record Entry(MailboxStore store, String format, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void add(MailboxStore store, Map<String, ?> props) {
        Object f = props.get(MailboxStore.FORMAT);
        if (f == null) return;
        Object r = props.get(Constants.SERVICE_RANKING);
        Object id = props.get(Constants.SERVICE_ID);
        entries.add(new Entry(store, f.toString().toLowerCase(Locale.ROOT), r instanceof Integer i ? i : 0,
                id instanceof Long l ? l : Long.MAX_VALUE));
    }

    void remove(MailboxStore store) {
        entries.removeIf(e -> e.store == store);
    }

    /** @return null when no store of this format is present */
    MailboxStore find(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.format.equals(f)).min(BEST_FIRST).map(Entry::store).orElse(null);
    }
}
