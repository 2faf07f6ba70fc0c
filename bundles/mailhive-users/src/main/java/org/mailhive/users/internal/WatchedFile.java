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
 * A colon-separated system file (passwd, shadow) parsed into a table and parsed again only when
 * its inode, size or mtime changed: one stat per lookup, as for the users file, so that a
 * {@code useradd} is seen by the next transaction. A file that cannot be read keeps the last table.
 */
final class WatchedFile {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    /** Lines in, a table keyed by the first field out; pure. */
    @FunctionalInterface
    interface Parser {
        Map<String, String[]> parse(List<String> lines);
    }

    private record Snapshot(Object fileKey, FileTime mtime, long size, Map<String, String[]> table) {
        boolean same(BasicFileAttributes a) {
            return Objects.equals(fileKey, a.fileKey()) && a.lastModifiedTime().equals(mtime) && a.size() == size;
        }
    }

    private final Path file;
    private final Parser parser;
    private volatile Snapshot snapshot;

    WatchedFile(Path file, Parser parser) {
        this.file = file;
        this.parser = parser;
    }

    Path file() {
        return file;
    }

    /** The entry whose first field is {@code key}, or null. */
    String[] get(String key) {
        return table().get(key);
    }

    Map<String, String[]> table() {
        Snapshot s = snapshot;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (s == null || s.fileKey() != null) LOG.warn("{}: does not exist; no system users from it", file);
            snapshot = new Snapshot(null, null, -1, Map.of());
            return Map.of();
        } catch (IOException e) {
            LOG.error("{}: cannot read, keeping the last entries: {}", file, e.toString());
            return s == null ? Map.of() : s.table();
        }
        if (s != null && s.same(attrs)) return s.table();
        synchronized (this) {
            s = snapshot;
            if (s != null && s.same(attrs)) return s.table();
            try {
                Map<String, String[]> table = Map.copyOf(parser.parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
                snapshot = new Snapshot(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), table);
                return table;
            } catch (IOException e) {
                // not remembered: a transient read error is retried at the next lookup
                LOG.error("{}: cannot read, keeping the last entries: {}", file, e.toString());
                return s == null ? Map.of() : s.table();
            }
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
        return table;
    }
}
