package org.mailhive.smtp.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mailhive.api.smtp.Check;

/**
 * The Check services present now, found by their {@code mail.check} name; with several of one
 * name the highest service.ranking wins (then the oldest service, as OSGi orders references).
 */
final class CheckRegistry {

    private record Entry(String name, int ranking, long serviceId, Check check) {
    }

    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();

    void add(Check check, Map<String, ?> props) {
        Object name = props.get(Check.NAME);
        if (name == null) return;
        entries.put(key(check, props), new Entry(name.toString().trim(), intProp(props.get("service.ranking")),
                longProp(props.get("service.id")), check));
    }

    void remove(Check check, Map<String, ?> props) {
        entries.remove(key(check, props));
    }

    Check find(String name) {
        Entry best = null;
        for (Entry e : entries.values()) {
            if (!e.name().equals(name)) continue;
            if (best == null || e.ranking() > best.ranking()
                    || (e.ranking() == best.ranking() && e.serviceId() < best.serviceId())) {
                best = e;
            }
        }
        return best == null ? null : best.check();
    }

    private static Object key(Check check, Map<String, ?> props) {
        Object id = props.get("service.id");
        return id != null ? id : check;
    }

    private static int intProp(Object o) {
        return o instanceof Integer i ? i : 0;
    }

    private static long longProp(Object o) {
        return o instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}
