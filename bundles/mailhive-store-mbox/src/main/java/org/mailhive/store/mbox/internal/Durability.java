package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;

/** fsync of a directory, so that a created or renamed file survives a crash. */
final class Durability {

    private Durability() {
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open or sync a directory; the file's own data is synced already
            LoggerFactory.getLogger(Durability.class).debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
