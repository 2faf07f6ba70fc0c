package org.mailhive.users.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of users (the passwd-file, the system's passwd and shadow) parsed into a value and parsed
 * again only when its inode, size or mtime changed: one stat per lookup, so that a
 * {@code mailhive user add} or a {@code useradd} is seen by the very next transaction, for
 * microseconds. A file that cannot be read, or does not parse, leaves the last good value in force;
 * a file that is not there means none.
 */
final class WatchedFile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    /** Lines in, the value out; pure. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(List<String> lines) throws PasswdFileException;
    }

    private record Snapshot<T>(Object fileKey, FileTime mtime, long size, T value) {
        boolean same(BasicFileAttributes a) {
            return Objects.equals(fileKey, a.fileKey()) && a.lastModifiedTime().equals(mtime) && a.size() == size;
        }
    }

    private final Path file;
    private final T none;
    private final Parser<T> parser;
    private volatile Snapshot<T> snapshot;

    /** {@code none}: the value while the file is missing or was never read. */
    WatchedFile(Path file, T none, Parser<T> parser) {
        this.file = file;
        this.none = none;
        this.parser = parser;
    }

    /** A table keyed by the first field of passwd(5)/shadow(5) lines. */
    static WatchedFile<Map<String, String[]>> colonFile(Path file, int minFields) {
        return new WatchedFile<>(file, Map.of(), lines -> parseColonFile(lines, minFields));
    }

    Path file() {
        return file;
    }

    T get() {
        Snapshot<T> s = snapshot;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (s == null || s.fileKey() != null) LOG.warn("{}: does not exist; no users from it", file);
            snapshot = new Snapshot<>(null, null, -1, none);
            return none;
        } catch (IOException e) {
            LOG.error("{}: cannot read, keeping the last users: {}", file, e.toString());
            return s == null ? none : s.value();
        }
        if (s != null && s.same(attrs)) return s.value();
        synchronized (this) {
            s = snapshot;
            if (s != null && s.same(attrs)) return s.value();
            T value;
            try {
                value = parser.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (PasswdFileException e) {
                LOG.error("{}:{}: {}", file.getFileName(), e.line(), e.reason());
                value = s == null ? none : s.value();
            } catch (IOException e) {
                // not remembered: a transient read error is retried at the next lookup
                LOG.error("{}: cannot read, keeping the last users: {}", file, e.toString());
                return s == null ? none : s.value();
            }
            // remembered even after a parse failure, so that a bad file is reported once
            snapshot = new Snapshot<>(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), value);
            return value;
        }
    }

    /** passwd(5) and shadow(5): {@code name:field:field…}; comments, blank and short lines are skipped. */
    static Map<String, String[]> parseColonFile(List<String> lines, int minFields) {
        Map<String, String[]> table = new java.util.HashMap<>();
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) continue;
            String[] f = line.split(":", -1);
            if (f.length < minFields || f[0].isEmpty()) continue;
            // the first entry wins, as getpwnam(3) returns it
            table.putIfAbsent(f[0], f);
        }
        return Map.copyOf(table);
    }
}
