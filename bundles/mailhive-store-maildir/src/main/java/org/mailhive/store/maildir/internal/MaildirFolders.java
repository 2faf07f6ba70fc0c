package org.mailhive.store.maildir.internal;

import java.nio.file.Path;
import org.mailhive.api.store.MailboxStore;

/** Maps IMAP folder names to Maildir++ directories and refuses names that could leave the root. */
final class MaildirFolders {

    private MaildirFolders() {
    }

    /** The Maildir directory of {@code folder} under {@code root}: the root for INBOX, {@code .A.B} for {@code A/B}. */
    static Path resolve(Path root, String folder) {
        if (folder == null || folder.equalsIgnoreCase(MailboxStore.INBOX)) {
            return root;
        }
        validate(folder);
        return root.resolve("." + folder.replace('/', '.'));
    }

    static void validate(String folder) {
        if (folder.isEmpty()) throw new IllegalArgumentException("empty folder name");
        for (int i = 0; i < folder.length(); i++) {
            char c = folder.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new IllegalArgumentException("control character in folder name");
        }
        if (folder.startsWith("/") || folder.endsWith("/")) {
            throw new IllegalArgumentException("folder name must not start or end with '/': " + folder);
        }
        if (folder.startsWith(".")) throw new IllegalArgumentException("folder name must not start with '.': " + folder);
        if (folder.contains("..")) throw new IllegalArgumentException("folder name must not contain '..': " + folder);
        for (String part : folder.split("/", -1)) {
            if (part.isEmpty()) throw new IllegalArgumentException("empty hierarchy level in folder name: " + folder);
            // Maildir++ uses '.' as its separator, so "A.B" would silently become the folder A/B
            if (part.indexOf('.') >= 0) throw new IllegalArgumentException("folder name must not contain '.': " + folder);
        }
    }
}
