package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rewritten mbox replaces the old file by rename, so it must carry over the old file's mode,
 * owner and group (a spool file is often owned by the user with group mail).
 */
final class FileOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(FileOwnership.class);

    private FileOwnership() {
    }

    static void copy(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) return;
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class);
        view.setPermissions(a.permissions());
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.group().equals(a.group())) view.setGroup(a.group());
            if (!now.owner().equals(a.owner())) view.setOwner(a.owner());
        } catch (IOException e) {
            // only root may give a file away; the mode is kept, which is what readers need
            LOG.warn("cannot keep owner {}:{} of {}: {}", a.owner().getName(), a.group().getName(), from, e.toString());
        }
    }
}
