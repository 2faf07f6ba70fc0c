package org.mailhive.store.maildir.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A folder's {@code dovecot-uidlist} (version 3): a header {@code 3 V<uidvalidity> N<nextuid>}
 * and one line {@code <uid> :<name>} per message, where name is the file name without its info
 * suffix. Lines Dovecot writes with extension fields ({@code <uid> W123 :<name>}) are read too.
 */
final class UidList {

    static final String FILE = "dovecot-uidlist";

    private final long uidValidity;
    private long nextUid;
    /** Other header fields (Dovecot's G<mailbox guid>), written back unchanged. */
    private String extraHeader = "";
    private final TreeMap<Long, String> byUid = new TreeMap<>();
    private final Map<String, Long> byKey = new HashMap<>();
    private boolean dirty;
    /**
     * The entry lines as last rendered, extended by {@link #add} (new UIDs are always the
     * highest, so their lines go at the end) and dropped by any other change: a busy folder
     * re-renders only the new lines of each batch instead of the whole index. Null when stale.
     */
    private Lines lines;
    /**
     * Size of the file as this list last wrote it, -1 when unknown (read from disk, where another
     * program may have formatted it otherwise, or changed other than by adding lines at the end).
     * While known, a change that only added lines can be appended to the file instead of
     * rewriting it (Dovecot does the same): a folder of 10,000 messages then costs each delivery
     * batch one short write instead of half a megabyte written and fsync'd.
     */
    private long fileSize = -1;
    /** How much of {@link #lines} the file holds. */
    private int linesOnDisk;

    /** The rendered entry lines, with access to a range without copying the whole. */
    private static final class Lines extends ByteArrayOutputStream {
        Lines(int size) {
            super(size);
        }

        byte[] from(int offset) {
            return Arrays.copyOfRange(buf, offset, count);
        }

        void copyTo(byte[] target, int at) {
            System.arraycopy(buf, 0, target, at, count);
        }
    }

    UidList(long uidValidity, long nextUid) {
        this.uidValidity = uidValidity;
        this.nextUid = Math.max(1, nextUid);
    }

    /** A new index for a folder that has none: its UIDVALIDITY is the time, as Dovecot does. */
    static UidList create(long now) {
        UidList l = new UidList(Math.max(1, now), 1);
        l.dirty = true;
        return l;
    }

    /** The index on disk, or null when there is none (or it is unreadable, which means rebuilding it). */
    static UidList read(Path dir) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return null;
        }
        // a line without its newline is an append a crash cut short: it never counted
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') end--;
        String[] text = new String(all, 0, end, StandardCharsets.UTF_8).split("\n");
        if (end == 0 || text.length == 0) return null;
        String[] h = text[0].trim().split(" ");
        if (!h[0].equals("3")) return null;
        long v = -1;
        long n = 1;
        StringBuilder extra = new StringBuilder();
        for (int i = 1; i < h.length; i++) {
            if (h[i].length() < 2) continue;
            char k = h[i].charAt(0);
            if (k == 'V') v = parse(h[i].substring(1));
            else if (k == 'N') n = parse(h[i].substring(1));
            else extra.append(' ').append(h[i]);
        }
        if (v <= 0 || n <= 0) return null;
        UidList l = new UidList(v, n);
        l.extraHeader = extra.toString();
        for (int i = 1; i < text.length; i++) {
            String line = text[i];
            int sp = line.indexOf(' ');
            int colon = line.indexOf(" :");
            if (sp <= 0 || colon < sp) continue;
            long uid = parse(line.substring(0, sp));
            String name = line.substring(colon + 2);
            if (uid <= 0 || name.isEmpty()) continue;
            l.byUid.put(uid, name);
            l.byKey.put(name, uid);
            // N in the header is older than lines appended since: the highest UID + 1 wins
            if (uid >= l.nextUid) l.nextUid = uid + 1;
        }
        return l;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    long uidValidity() {
        return uidValidity;
    }

    long nextUid() {
        return nextUid;
    }

    Long uidOf(String key) {
        return byKey.get(key);
    }

    /** UID → name, in UID order; the caller must not change it. */
    TreeMap<Long, String> entries() {
        return byUid;
    }

    long add(String key) {
        Long known = byKey.get(key);
        if (known != null) return known;
        long uid = nextUid++;
        boolean last = byUid.isEmpty() || byUid.lastKey() < uid;
        byUid.put(uid, key);
        byKey.put(key, uid);
        dirty = true;
        if (lines != null) {
            if (last) appendLine(lines, uid, key);
            else forgetLines();
        }
        return uid;
    }

    void remove(long uid) {
        String key = byUid.remove(uid);
        if (key != null) {
            byKey.remove(key);
            dirty = true;
            forgetLines();
        }
    }

    boolean dirty() {
        return dirty;
    }

    private void forgetLines() {
        lines = null;
        fileSize = -1;
    }

    /** Marks the index as equal to the file just written whole from {@link #render}. */
    void written(byte[] rendered) {
        dirty = false;
        fileSize = rendered.length;
        linesOnDisk = lines == null ? 0 : lines.size();
    }

    /**
     * The lines to append to the file this list last wrote, when the only changes since are new
     * messages; null when the file must be rewritten whole (or nothing changed).
     */
    byte[] appendix() {
        if (!dirty || lines == null || fileSize < 0 || lines.size() <= linesOnDisk) return null;
        return lines.from(linesOnDisk);
    }

    /** Where {@link #appendix} goes: the end of the file as last written. */
    long fileSize() {
        return fileSize;
    }

    /**
     * Writes the appendix at the end of {@code dir}'s index as this list last wrote it, and fsyncs
     * it. A failure cuts the file back, so no half line stays for a later append to extend.
     */
    void append(Path dir, byte[] appendix, DiskOps disk) throws IOException {
        Path file = dir.resolve(FILE);
        long end = fileSize;
        // O_NOFOLLOW: the index is replaced by rename, so a link here was put by someone else
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            try {
                ByteBuffer bb = ByteBuffer.wrap(appendix);
                long at = end;
                while (bb.hasRemaining()) at += ch.write(bb, at);
                disk.syncFile(file, ch);
            } catch (IOException | RuntimeException e) {
                try {
                    ch.truncate(end);
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            appendFailed();
            throw e;
        }
    }

    /** Marks the appendix as written at the end of the file. */
    void appended(byte[] appendix) {
        dirty = false;
        fileSize += appendix.length;
        linesOnDisk += appendix.length;
    }

    /** After a failed append the file's end is unknown: the next change rewrites it whole. */
    private void appendFailed() {
        fileSize = -1;
    }

    /**
     * The whole file. Its header's N is this list's next UID; after later appends it is lower than
     * the last line's UID + 1, which readers take instead (Dovecot's rule, and {@link #read}'s).
     */
    byte[] render() {
        if (lines == null) {
            lines = new Lines(64 + byUid.size() * 64);
            Lines out = lines;
            byUid.forEach((uid, key) -> appendLine(out, uid, key));
        }
        byte[] header = ("3 V" + uidValidity + " N" + nextUid + extraHeader + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + lines.size()];
        System.arraycopy(header, 0, out, 0, header.length);
        lines.copyTo(out, header.length);
        return out;
    }

    private static void appendLine(ByteArrayOutputStream out, long uid, String key) {
        out.writeBytes((uid + " :" + key + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
