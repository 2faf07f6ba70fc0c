package org.mailhive.store.maildir.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.mailhive.api.store.FolderListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sessions waiting for changes, per Maildir root: a delivery to alice wakes only alice's sessions. */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final ConcurrentHashMap<Path, Set<FolderListener>> byRoot = new ConcurrentHashMap<>();

    void add(Path root, FolderListener l) {
        byRoot.computeIfAbsent(root, r -> new CopyOnWriteArraySet<>()).add(l);
    }

    void remove(Path root, FolderListener l) {
        byRoot.computeIfPresent(root, (r, set) -> {
            set.remove(l);
            return set.isEmpty() ? null : set;
        });
    }

    void changed(Path root, String folder) {
        Set<FolderListener> set = byRoot.get(root);
        if (set == null) return;
        for (FolderListener l : set) {
            try {
                l.changed(folder);
            } catch (RuntimeException e) {
                // one broken session must not fail the delivery that notified it
                LOG.warn("folder listener failed for {} {}: {}", root, folder, e.toString());
            }
        }
    }
}
