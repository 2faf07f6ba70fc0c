package org.mailhive.store.maildir.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    private ByteArrayOutputStream lines;

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
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) return null;
            String[] h = header.trim().split(" ");
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
            String line;
            while ((line = r.readLine()) != null) {
                int sp = line.indexOf(' ');
                int colon = line.indexOf(" :");
                if (sp <= 0 || colon < sp) continue;
                long uid = parse(line.substring(0, sp));
                String name = line.substring(colon + 2);
                if (uid <= 0 || name.isEmpty()) continue;
                l.byUid.put(uid, name);
                l.byKey.put(name, uid);
                if (uid >= l.nextUid) l.nextUid = uid + 1;
            }
            return l;
        } catch (NoSuchFileException e) {
            return null;
        }
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
            else lines = null;
        }
        return uid;
    }

    void remove(long uid) {
        String key = byUid.remove(uid);
        if (key != null) {
            byKey.remove(key);
            dirty = true;
            lines = null;
        }
    }

    boolean dirty() {
        return dirty;
    }

    /** Marks the index as equal to the file just written. */
    void clean() {
        dirty = false;
    }

    byte[] render() {
        if (lines == null) {
            lines = new ByteArrayOutputStream(64 + byUid.size() * 64);
            ByteArrayOutputStream out = lines;
            byUid.forEach((uid, key) -> appendLine(out, uid, key));
        }
        byte[] header = ("3 V" + uidValidity + " N" + nextUid + extraHeader + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + lines.size()];
        System.arraycopy(header, 0, out, 0, header.length);
        byte[] body = lines.toByteArray();
        System.arraycopy(body, 0, out, header.length, body.length);
        return out;
    }

    private static void appendLine(ByteArrayOutputStream out, long uid, String key) {
        out.writeBytes((uid + " :" + key + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
