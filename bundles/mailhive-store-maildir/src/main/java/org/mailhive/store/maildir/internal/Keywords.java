package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder's {@code dovecot-keywords}: line {@code <n> <keyword>} gives the keyword info letter
 * {@code 'a' + n}. Only 26 letters exist; a 27th keyword is not stored in file names (Dovecot
 * keeps such ones in its own index, which Mailhive does not write).
 */
final class Keywords {

    static final String FILE = "dovecot-keywords";
    private static final int LETTERS = 26;

    private final String[] names = new String[LETTERS];
    private boolean dirty;

    static Keywords read(Path dir) throws IOException {
        Keywords k = new Keywords();
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return k;
        }
        for (String line : lines) {
            int sp = line.indexOf(' ');
            if (sp <= 0) continue;
            try {
                int n = Integer.parseInt(line.substring(0, sp));
                String name = line.substring(sp + 1).trim();
                if (n >= 0 && n < LETTERS && !name.isEmpty()) k.names[n] = name;
            } catch (NumberFormatException e) {
                // a line we do not understand is left alone rather than failing the folder
            }
        }
        return k;
    }

    /** The keyword of an info letter, or null when the letter is not assigned. */
    String name(char letter) {
        int n = letter - 'a';
        return n >= 0 && n < LETTERS ? names[n] : null;
    }

    /** The letter of a keyword (IMAP keywords compare case-insensitively); 0 when it has none and cannot get one. */
    char letter(String keyword, boolean create) {
        int free = -1;
        for (int i = 0; i < LETTERS; i++) {
            if (names[i] == null) {
                if (free < 0) free = i;
            } else if (names[i].equalsIgnoreCase(keyword)) {
                return (char) ('a' + i);
            }
        }
        if (!create || free < 0) return 0;
        names[free] = keyword;
        dirty = true;
        return (char) ('a' + free);
    }

    boolean dirty() {
        return dirty;
    }

    /** Replaces the file atomically; called with the folder locked. */
    void write(Path dir, DiskOps disk, org.mailhive.api.store.MailboxLocation.Owner owner) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LETTERS; i++) {
            if (names[i] != null) lines.add(i + " " + names[i]);
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        AtomicFiles.replace(dir.resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8), disk, owner);
        dirty = false;
    }
}
