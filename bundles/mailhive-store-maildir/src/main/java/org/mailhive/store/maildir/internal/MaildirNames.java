package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.mailhive.api.store.FlagMode;

/**
 * The parts of a Maildir file name: {@code <base>[,S=<size>][,W=<crlf size>][:2,<info>]}. The
 * part before ':' never changes for the life of a message, so the UID index keys on it; the info
 * letters carry the flags (upper case: system flags, a–z: keywords of dovecot-keywords).
 */
final class MaildirNames {

    static final String INFO = ":2,";

    private MaildirNames() {
    }

    /** The name without the info suffix: what dovecot-uidlist records. */
    static String key(String filename) {
        int colon = filename.indexOf(':');
        return colon < 0 ? filename : filename.substring(0, colon);
    }

    /** The letters after {@code :2,}, or "" when the message has none (e.g. still in new/). */
    static String info(String filename) {
        int i = filename.indexOf(INFO);
        return i < 0 ? "" : filename.substring(i + INFO.length());
    }

    static String withInfo(String key, String letters) {
        return letters.isEmpty() ? key : key + INFO + letters;
    }

    /** The value of {@code ,S=} or {@code ,W=} in the key, or -1 when absent or malformed. */
    static long sizeField(String key, char field) {
        String marker = "," + field + "=";
        int i = key.indexOf(marker);
        if (i < 0) return -1;
        int start = i + marker.length();
        int end = start;
        while (end < key.length() && Character.isDigit(key.charAt(end))) end++;
        if (end == start || end - start > 18) return -1;
        return Long.parseLong(key.substring(start, end));
    }

    static char systemLetter(String flag) {
        return switch (flag.toLowerCase(Locale.ROOT)) {
            case "\\draft" -> 'D';
            case "\\flagged" -> 'F';
            case "\\answered" -> 'R';
            case "\\seen" -> 'S';
            case "\\deleted" -> 'T';
            default -> 0;
        };
    }

    static String systemFlag(char letter) {
        return switch (letter) {
            case 'D' -> "\\Draft";
            case 'F' -> "\\Flagged";
            case 'R' -> "\\Answered";
            case 'S' -> "\\Seen";
            case 'T' -> "\\Deleted";
            default -> null;
        };
    }

    static boolean isKeyword(String flag) {
        if (flag.isEmpty() || flag.startsWith("\\")) return false;
        for (int i = 0; i < flag.length(); i++) {
            char c = flag.charAt(i);
            // IMAP atom characters only: the keyword file is line- and space-separated
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) return false;
        }
        return true;
    }

    /** The IMAP flags an info string stands for; unknown letters and unmapped keywords are skipped. */
    static Set<String> flags(String info, Keywords keywords) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            String f = c >= 'a' && c <= 'z' ? keywords.name(c) : systemFlag(c);
            if (f != null) out.add(f);
        }
        return out;
    }

    /**
     * Sorted info letters for these flags. Letters of the old info that Mailhive does not map
     * (e.g. 'P' passed) are kept so that another reader's flags survive a change made here.
     */
    static String letters(Set<String> flags, Keywords keywords, String keep) {
        TreeSet<Character> letters = new TreeSet<>();
        for (int i = 0; i < keep.length(); i++) {
            char c = keep.charAt(i);
            boolean mapped = systemFlag(c) != null || (c >= 'a' && c <= 'z');
            if (!mapped && c > ' ' && c != ':' && c != '/') letters.add(c);
        }
        for (String f : flags) {
            char c = systemLetter(f);
            if (c == 0 && keywords != null && isKeyword(f)) c = keywords.letter(f, true);
            if (c != 0) letters.add(c);
        }
        StringBuilder sb = new StringBuilder(letters.size());
        letters.forEach(sb::append);
        return sb.toString();
    }

    /** A flag change: the current flags with {@code flags} added, removed or put in their place; case-insensitive. */
    static Set<String> apply(Set<String> current, Set<String> flags, FlagMode mode) {
        Set<String> next = new LinkedHashSet<>();
        if (mode != FlagMode.REPLACE) next.addAll(current);
        for (String f : flags) {
            if (mode == FlagMode.REMOVE) next.removeIf(x -> x.equalsIgnoreCase(f));
            else if (next.stream().noneMatch(x -> x.equalsIgnoreCase(f))) next.add(f);
        }
        return next;
    }

    /**
     * The message files of a folder directory by key; new/ before cur/, so a message renamed
     * new → cur while we list is seen at least once.
     */
    static Map<String, FolderDir.Found> listing(Path dir) throws IOException {
        Map<String, FolderDir.Found> files = new HashMap<>();
        for (String sub : new String[] {FolderDir.NEW, FolderDir.CUR}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.forEach(p -> {
                    String name = p.getFileName().toString();
                    if (!name.startsWith(".")) files.put(key(name), new FolderDir.Found(sub, name));
                });
            } catch (NoSuchFileException e) {
                // folder deleted under us: it simply has no messages
            }
        }
        return files;
    }
}
