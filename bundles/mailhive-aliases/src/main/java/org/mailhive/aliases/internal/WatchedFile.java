package org.mailhive.aliases.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file parsed into a value and re-parsed when its inode, size or mtime change, stat-ed at most
 * once per interval on lookup. A version that does not parse never replaces a good one: the
 * errors are logged once as {@code name:line: reason} and the last good value stays in force.
 */
final class WatchedFile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    interface Parser<T> {
        /** Parses the lines; errors are added to the list, and the result is used only when it stays empty. */
        T parse(String name, List<String> lines, List<AliasSyntaxException> errors);
    }

    private record Snapshot<T>(Object fileKey, FileTime mtime, long size, T value) {

        boolean same(BasicFileAttributes a) {
            return a != null && Objects.equals(fileKey, a.fileKey()) && a.lastModifiedTime().equals(mtime)
                    && a.size() == size;
        }
    }

    private final Path path;
    private final Parser<T> parser;
    private final T empty;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private volatile Snapshot<T> snapshot;
    private volatile long checkedAt;

    WatchedFile(Path path, Parser<T> parser, T empty, LongSupplier nanoClock, long intervalNanos) {
        this.path = path;
        this.parser = parser;
        this.empty = empty;
        this.nanoClock = nanoClock;
        this.intervalNanos = intervalNanos;
    }

    Path path() {
        return path;
    }

    /** The current value; a missing file is the empty value. */
    T get() {
        Snapshot<T> s = snapshot;
        long now = nanoClock.getAsLong();
        if (s == null || now - checkedAt >= intervalNanos) {
            synchronized (this) {
                s = snapshot;
                if (s == null || now - checkedAt >= intervalNanos) {
                    refresh();
                    checkedAt = now;
                    s = snapshot;
                }
            }
        }
        return s == null ? empty : s.value();
    }

    private void refresh() {
        Snapshot<T> old = snapshot;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (old == null || old.fileKey() != null || old.size() >= 0) {
                LOG.warn("{}: file does not exist; no entries from it", path);
            }
            snapshot = new Snapshot<>(null, null, -1, empty);
            return;
        } catch (IOException e) {
            LOG.error("{}: cannot read, keeping the last good entries: {}", path, e.toString());
            return;
        }
        if (old != null && old.same(attrs)) return;
        T value;
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            List<AliasSyntaxException> errors = new java.util.ArrayList<>();
            T parsed = parser.parse(path.getFileName().toString(), lines, errors);
            if (errors.isEmpty()) {
                value = parsed;
                LOG.info("{}: loaded", path);
            } else {
                for (AliasSyntaxException e : errors) LOG.error("{}:{}: {}", e.file(), e.line(), e.reason());
                LOG.error("{}: not loaded because of the errors above; the previous entries stay in force", path);
                value = old == null ? empty : old.value();
            }
        } catch (IOException e) {
            // not remembered: a transient read error is retried at the next check
            LOG.error("{}: cannot read, keeping the last good entries: {}", path, e.toString());
            return;
        }
        // remembered even after a parse failure so a bad file is reported once, not per lookup
        snapshot = new Snapshot<>(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), value);
    }
}
