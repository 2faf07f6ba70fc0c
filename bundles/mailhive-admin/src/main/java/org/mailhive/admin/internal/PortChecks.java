package org.mailhive.admin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Ports in range, and no two enabled listeners (smtp, pop3, imap …listener-NAME.cfg) on one address and port. */
final class PortChecks {

    private record Bound(ConfigEntry entry, int port, String bind) {
    }

    private final MetatypeCatalogue catalogue;

    PortChecks(MetatypeCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    void check(List<ConfigEntry> entries, CheckReport r) {
        List<Bound> bound = new ArrayList<>();
        for (ConfigEntry e : entries) {
            for (Map.Entry<String, String> kv : e.values().entrySet()) {
                String key = kv.getKey();
                if (!key.equals("port") && !key.endsWith("_port")) continue;
                Integer port = port(kv.getValue());
                if (port == null) {
                    // the type check names a non-number already when the metatype knows the key
                    if (catalogue.get(e.pid()) == null || catalogue.get(e.pid()).param(key) == null) {
                        r.error(e.file() + ": " + key, kv.getValue().trim() + " is not a port (0..65535)");
                    }
                    continue;
                }
                if (port < 0 || port > 65535) {
                    r.error(e.file() + ": " + key, kv.getValue().trim() + " is not a port (0..65535)");
                    continue;
                }
                // only an explicit port counts: a listener's default depends on its profile
                if (key.equals("port") && port != 0 && e.factory() && e.pid().endsWith(".listener") && enabled(e)) {
                    bound.add(new Bound(e, port, e.values().getOrDefault("bind", "0.0.0.0").trim()));
                }
            }
        }
        for (int i = 0; i < bound.size(); i++) {
            for (int j = 0; j < i; j++) {
                Bound a = bound.get(j);
                Bound b = bound.get(i);
                if (a.port() == b.port() && overlap(a.bind(), b.bind())) {
                    r.error(b.entry().file() + ": port", b.port() + " is also used by " + a.entry().file());
                    break;
                }
            }
        }
    }

    private static boolean enabled(ConfigEntry e) {
        String v = e.values().get("enabled");
        Boolean b = v == null ? null : Values.bool(v);
        return b == null || b;
    }

    private static boolean overlap(String a, String b) {
        return a.equals(b) || wildcard(a) || wildcard(b);
    }

    private static boolean wildcard(String bind) {
        return bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.equals("*");
    }

    private static Integer port(String v) {
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
