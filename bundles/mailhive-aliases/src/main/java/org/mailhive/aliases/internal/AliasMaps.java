package org.mailhive.aliases.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The alias_maps and virtual_alias_maps files and the :include: files met during expansion, each
 * reloaded by itself when it changes. Maps are searched in the configured order; the first map
 * that has a key wins, as Postfix searches its map lists.
 */
final class AliasMaps {

    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final AliasTable EMPTY = new AliasTable("", Map.of(), List.of());

    private final List<WatchedFile<AliasTable>> aliases = new ArrayList<>();
    private final List<WatchedFile<AliasTable>> virtuals = new ArrayList<>();
    private final Map<Path, WatchedFile<List<AliasValue>>> includes = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long interval;

    AliasMaps(List<Path> aliasFiles, List<Path> virtualFiles, LongSupplier clock, long intervalNanos) {
        this.clock = clock;
        this.interval = intervalNanos;
        for (Path p : aliasFiles) {
            aliases.add(new WatchedFile<>(p, AliasMaps::aliasTable, EMPTY, clock, intervalNanos));
        }
        for (Path p : virtualFiles) {
            virtuals.add(new WatchedFile<>(p, AliasMaps::virtualTable, EMPTY, clock, intervalNanos));
        }
    }

    static AliasTable aliasTable(String name, List<String> lines, List<AliasSyntaxException> errors) {
        AliasTable t = AliasFileParser.parseAliases(name, lines);
        errors.addAll(t.errors());
        return t;
    }

    static AliasTable virtualTable(String name, List<String> lines, List<AliasSyntaxException> errors) {
        AliasTable t = AliasFileParser.parseVirtual(name, lines);
        errors.addAll(t.errors());
        return t;
    }

    /** Loads every file now, so configuration errors show at activation rather than at the first mail. */
    void loadAll() {
        aliases.forEach(WatchedFile::get);
        virtuals.forEach(WatchedFile::get);
    }

    /** The values of an aliases(5) name (lower case), or null. */
    List<AliasValue> alias(String name) {
        return first(aliases, name);
    }

    /** The values of a virtual key (full address or {@code @domain}, lower case), or null. */
    List<AliasValue> virtual(String key) {
        return first(virtuals, key);
    }

    /** The values of an include file; a missing or broken file (never loaded) is empty. */
    List<AliasValue> include(Path file) {
        return includes.computeIfAbsent(file,
                f -> new WatchedFile<>(f, (name, lines, errors) -> AliasFileParser.parseValues(name, lines, errors),
                        List.of(), clock, interval)).get();
    }

    private static List<AliasValue> first(List<WatchedFile<AliasTable>> maps, String key) {
        for (WatchedFile<AliasTable> m : maps) {
            List<AliasValue> v = m.get().get(key);
            if (v != null) return v;
        }
        return null;
    }
}
