package org.mailhive.admin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mailhive config}, Postfix's postconf: effective values (set, else default), {@code -d}
 * defaults, {@code -n} only what is set and differs from the default, {@code KEY} one parameter.
 * The same logic runs on the .cfg files (CLI) and on what ConfigurationAdmin holds (server, Gogo).
 */
public final class ConfigReport {

    public static final String USAGE = "usage: mailhive config [--config DIR] [-d] [-n] [-x] [KEY | PID/KEY ...]";

    /** How a parameter of one configuration stands. */
    enum Status { DEFAULT, SET_SAME, SET_DIFFERENT, UNKNOWN, NO_METATYPE }

    record Row(ConfigEntry entry, String key, String value, Status status) {
        String qualified() {
            return entry.label() + "/" + key;
        }
    }

    /** Options as parsed from the words after {@code config}. */
    public record Options(boolean defaults, boolean nonDefault, boolean expand, List<String> keys) {
    }

    private final MetatypeCatalogue catalogue;
    private final Substitution subst;

    public ConfigReport(MetatypeCatalogue catalogue, Substitution subst) {
        this.catalogue = catalogue;
        this.subst = subst;
    }

    /** Parses {@code -d -n -x KEY...}; null when a word is not understood (the caller answers with usage). */
    public static Options parse(List<String> words) {
        boolean d = false;
        boolean n = false;
        boolean x = false;
        List<String> keys = new ArrayList<>();
        for (String w : words) {
            if (w.equals("-d")) {
                d = true;
            } else if (w.equals("-n")) {
                n = true;
            } else if (w.equals("-x")) {
                x = true;
            } else if (w.matches("-[dnx]{2,3}")) {
                d |= w.indexOf('d') > 0;
                n |= w.indexOf('n') > 0;
                x |= w.indexOf('x') > 0;
            } else if (w.startsWith("-")) {
                return null;
            } else {
                keys.add(w);
            }
        }
        return new Options(d, n, x, keys);
    }

    public Answer run(List<ConfigEntry> entries, Options o) {
        if (o.defaults() && o.nonDefault()) return Answer.usage("mailhive config: -d and -n exclude each other", USAGE);
        List<List<Row>> views = views(o.defaults() ? defaultEntries() : withMissing(entries), o.defaults());
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        int exit = 0;
        if (o.keys().isEmpty()) {
            for (List<Row> view : views) {
                if (view.isEmpty()) continue;
                if (o.nonDefault()) {
                    for (Row r : view) {
                        if (changed(r)) out.add(line(r, r.qualified(), o.expand()));
                    }
                } else {
                    if (!out.isEmpty()) out.add("");
                    out.add(view.get(0).entry().header());
                    for (Row r : view) out.add(line(r, r.key(), o.expand()));
                }
            }
            return new Answer(out, err, 0);
        }
        for (String key : o.keys()) {
            List<Row> found = lookup(views, key);
            if (found.isEmpty()) {
                err.add("mailhive config: warning: " + key + ": unknown parameter");
                exit = 1;
                continue;
            }
            Set<String> labels = new TreeSet<>();
            found.forEach(r -> labels.add(r.entry().label()));
            boolean qualify = labels.size() > 1;
            for (Row r : found) {
                if (o.nonDefault() && !changed(r)) continue;
                out.add(line(r, qualify ? r.qualified() : r.key(), o.expand()));
            }
        }
        return new Answer(out, err, exit);
    }

    private static boolean changed(Row r) {
        return r.status() == Status.SET_DIFFERENT || r.status() == Status.UNKNOWN || r.status() == Status.NO_METATYPE;
    }

    private String line(Row r, String name, boolean expand) {
        String v = expand ? subst.apply(r.value(), r.entry().values()) : r.value();
        String l = name + " = " + v;
        return r.status() == Status.UNKNOWN ? l + "    # warning: unknown parameter" : l;
    }

    private List<Row> lookup(List<List<Row>> views, String key) {
        int slash = key.lastIndexOf('/');
        String scope = slash < 0 ? null : key.substring(0, slash).replace('~', '-');
        String k = slash < 0 ? key : key.substring(slash + 1);
        List<Row> out = new ArrayList<>();
        for (List<Row> view : views) {
            for (Row r : view) {
                if (!r.key().equals(k)) continue;
                if (scope == null || scope.equals(r.entry().label()) || scope.equals(r.entry().pid())) out.add(r);
            }
        }
        return out;
    }

    /** Non-factory PIDs of the metatype without a file still have their defaults in force. */
    private List<ConfigEntry> withMissing(List<ConfigEntry> entries) {
        Set<String> present = new TreeSet<>();
        entries.forEach(e -> present.add(e.pid()));
        List<ConfigEntry> all = new ArrayList<>(entries);
        for (PidInfo info : catalogue.all()) {
            if (!info.factory() && !present.contains(info.pid())) {
                all.add(new ConfigEntry(info.pid(), null, null, Map.of()));
            }
        }
        all.sort((a, b) -> a.label().compareTo(b.label()));
        return all;
    }

    private List<ConfigEntry> defaultEntries() {
        List<ConfigEntry> out = new ArrayList<>();
        for (PidInfo info : catalogue.all()) {
            out.add(new ConfigEntry(info.pid(), null, info.factory() ? "factory defaults" : "defaults", Map.of()));
        }
        return out;
    }

    private List<List<Row>> views(List<ConfigEntry> entries, boolean defaultsOnly) {
        List<List<Row>> views = new ArrayList<>();
        for (ConfigEntry e : entries) {
            PidInfo info = catalogue.get(e.pid());
            // a factory configuration is not described by a plain PID's metatype, nor the reverse
            if (info != null && info.factory() != e.factory() && !defaultsOnly) info = null;
            List<Row> rows = new ArrayList<>();
            Map<String, String> rest = new LinkedHashMap<>(defaultsOnly ? Map.of() : e.values());
            if (info != null) {
                for (Param p : info.params().values()) {
                    String set = rest.remove(p.id());
                    if (set == null) {
                        rows.add(new Row(e, p.id(), p.defaultValue(), Status.DEFAULT));
                    } else {
                        rows.add(new Row(e, p.id(), set, sameAsDefault(p, set, e) ? Status.SET_SAME : Status.SET_DIFFERENT));
                    }
                }
            }
            Status extra = info == null ? Status.NO_METATYPE : Status.UNKNOWN;
            rest.forEach((k, v) -> rows.add(new Row(e, k, v, extra)));
            views.add(rows);
        }
        return views;
    }

    private boolean sameAsDefault(Param p, String value, ConfigEntry e) {
        String def = p.defaultValue();
        if (Values.same(p, value, def)) return true;
        String implied = Values.emptyMeans(p);
        if (implied != null) {
            if (value.isBlank()) value = implied;
            if (def.isBlank()) def = implied;
        }
        return Values.same(p, value, def)
                || Values.same(p, subst.apply(value, e.values()), subst.apply(def, e.values()));
    }
}
