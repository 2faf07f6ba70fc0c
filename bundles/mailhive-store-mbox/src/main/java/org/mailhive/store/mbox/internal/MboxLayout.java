package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxLocation.Owner;
import org.mailhive.api.store.MailboxStore;

/**
 * Where the folders of an {@code mbox:<root>[:INBOX=<file>]} location are: INBOX is the INBOX=
 * file (default {@code <root>/inbox}), folder {@code A/B} is the file {@code <root>/A/B}.
 * {@code owner} is the location's (system users), or null when files stay the server's.
 */
record MboxLayout(Path root, Path inbox, Owner owner) {

    MboxLayout(Path root, Path inbox) {
        this(root, inbox, null);
    }

    private static final int MAX_DEPTH = 20;

    static MboxLayout of(MailboxLocation location) {
        if (!"mbox".equals(location.format())) {
            throw new IllegalArgumentException("not an mbox location: " + location);
        }
        Path root = Path.of(location.root());
        if (!root.isAbsolute()) throw new IllegalArgumentException("mbox location must be an absolute path: " + location);
        String inbox = location.options().get("INBOX");
        Path inboxPath = inbox == null || inbox.isEmpty() ? root.resolve("inbox") : Path.of(inbox);
        if (!inboxPath.isAbsolute()) throw new IllegalArgumentException("INBOX= must be an absolute path: " + location);
        return new MboxLayout(root.normalize(), inboxPath.normalize(), location.owner().orElse(null));
    }

    static boolean isInbox(String name) {
        return name == null || name.equalsIgnoreCase(MailboxStore.INBOX);
    }

    /** The canonical folder name: INBOX in capitals, others as given. */
    static String canonical(String name) {
        if (isInbox(name)) return MailboxStore.INBOX;
        validate(name);
        return name;
    }

    Path file(String name) {
        if (isInbox(name)) return inbox;
        validate(name);
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root) || p.equals(root)) throw new IllegalArgumentException("folder name leaves the mailbox: " + name);
        return p;
    }

    /**
     * Names that would leave the root, hide among our own files ({@code .x}, {@code x.lock}) or
     * clash with INBOX are refused.
     */
    static void validate(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty folder name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new IllegalArgumentException("control character or backslash in folder name");
            }
        }
        if (name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("folder name must not start or end with '/': " + name);
        }
        String[] parts = name.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) throw new IllegalArgumentException("empty hierarchy level in folder name: " + name);
            if (part.startsWith(".")) throw new IllegalArgumentException("folder name part must not start with '.': " + name);
            if (part.toLowerCase(Locale.ROOT).endsWith(".lock")) {
                throw new IllegalArgumentException("folder name must not end with .lock: " + name);
            }
        }
        if (parts.length > 1 && parts[0].equalsIgnoreCase("inbox")) {
            throw new IllegalArgumentException("INBOX cannot have subfolders in an mbox mailbox: " + name);
        }
    }

    /** The folders under the root other than INBOX, sorted. Directories only give hierarchy. */
    List<String> folders() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) return names;
        Files.walkFileTree(root, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!attrs.isRegularFile() || file.equals(inbox)) return FileVisitResult.CONTINUE;
                        String rel = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                        try {
                            validate(rel);
                            if (!isInbox(rel)) names.add(rel);
                        } catch (IllegalArgumentException e) {
                            // our own files (.x.mailhive-uids, x.lock) and names no client could ask for
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
        names.sort(null);
        return names;
    }
}
