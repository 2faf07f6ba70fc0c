package org.mailhive.store.mbox.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mailhive.api.store.FolderListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session of this process shares about mbox files: one {@link MboxFile} per path (so
 * one in-process lock per file, as the JVM allows one fcntl lock per file) and the folder
 * listeners of each mailbox, keyed by its INBOX path.
 */
final class MboxRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MboxRegistry.class);

    /** Shared by every store instance of this bundle, so a re-activated component keeps one lock per file. */
    static final MboxRegistry SHARED = new MboxRegistry();

    private final ConcurrentHashMap<Path, MboxFile> files = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, CopyOnWriteArrayList<FolderListener>> listeners = new ConcurrentHashMap<>();

    MboxFile file(Path path) {
        return files.computeIfAbsent(path.toAbsolutePath().normalize(), MboxFile::new);
    }

    /** The file, which from now on gives what it creates to the layout's owner (if any). */
    MboxFile file(Path path, MboxLayout layout) {
        MboxFile f = file(path);
        f.layout(layout);
        return f;
    }

    void addListener(Path mailbox, FolderListener l) {
        listeners.computeIfAbsent(mailbox, k -> new CopyOnWriteArrayList<>()).add(l);
    }

    void removeListener(Path mailbox, FolderListener l) {
        listeners.computeIfPresent(mailbox, (k, list) -> {
            list.remove(l);
            return list.isEmpty() ? null : list;
        });
    }

    void changed(Path mailbox, String folder) {
        List<FolderListener> list = listeners.get(mailbox);
        if (list == null) return;
        for (FolderListener l : list) {
            try {
                l.changed(folder);
            } catch (RuntimeException e) {
                LOG.warn("folder listener failed for {} {}: {}", mailbox, folder, e.toString());
            }
        }
    }
}
