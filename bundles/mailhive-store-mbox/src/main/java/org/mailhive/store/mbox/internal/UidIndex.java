package org.mailhive.store.mbox.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sidecar file {@code .<mbox>.mailhive-uids} beside an mbox: UIDVALIDITY, the next UID, and
 * the UID of each message by fingerprint in file order. Other programs may delete messages or
 * append new ones and the UIDs survive; anything else (reordering, an edited message in the
 * middle) makes {@link #reconcile} start over with a new UIDVALIDITY.
 */
final class UidIndex {

    private static final String MAGIC = "mailhive-mbox-uids 1";

    record Entry(long uid, String fingerprint) {
    }

    /** The outcome of matching a file's messages against the index. */
    record Result(UidIndex index, long[] uids, boolean changed) {
    }

    final long uidValidity;
    final long uidNext;
    final List<Entry> entries;

    UidIndex(long uidValidity, long uidNext, List<Entry> entries) {
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.entries = List.copyOf(entries);
    }

    static Path pathFor(Path mbox) {
        return mbox.resolveSibling("." + mbox.getFileName() + ".mailhive-uids");
    }

    /** Reads the index; null when there is none or it cannot be understood (then UIDs start over). */
    static UidIndex load(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String head = in.readLine();
            if (head == null || !head.startsWith(MAGIC + " ")) return null;
            String[] h = head.substring(MAGIC.length() + 1).trim().split(" ");
            if (h.length != 2) return null;
            long validity = Long.parseLong(h[0]);
            long next = Long.parseLong(h[1]);
            List<Entry> entries = new ArrayList<>();
            long last = 0;
            String line;
            while ((line = in.readLine()) != null) {
                int sp = line.indexOf(' ');
                if (sp <= 0) return null;
                long uid = Long.parseLong(line.substring(0, sp));
                if (uid <= last || uid >= next) return null;
                last = uid;
                entries.add(new Entry(uid, line.substring(sp + 1)));
            }
            return new UidIndex(validity, next, entries);
        } catch (NoSuchFileException e) {
            return null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Writes the index durably: temporary file, fsync, rename, fsync of the directory. */
    void save(Path file) throws IOException {
        save(file, null);
    }

    /** As {@link #save(Path)}, the new file given to the mailbox's owner before the rename. */
    void save(Path file, MboxLayout layout) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                        java.nio.channels.Channels.newOutputStream(ch), StandardCharsets.US_ASCII))) {
            w.write(MAGIC + " " + uidValidity + " " + uidNext + "\n");
            for (Entry e : entries) w.write(e.uid + " " + e.fingerprint + "\n");
            w.flush();
            MboxOwner.own(tmp, layout);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Durability.syncDirectory(file.getParent());
    }

    /**
     * Gives every message (fingerprints in file order) its UID: known messages keep theirs,
     * messages after the last known one get new UIDs. When a known message follows a new one,
     * the order cannot be kept and every message is numbered again under a new UIDVALIDITY.
     */
    static Result reconcile(UidIndex old, List<String> fingerprints, long now) {
        if (old == null) return fresh(null, fingerprints, now);
        Map<String, ArrayDeque<Integer>> positions = new HashMap<>();
        for (int k = 0; k < old.entries.size(); k++) {
            positions.computeIfAbsent(old.entries.get(k).fingerprint, f -> new ArrayDeque<>()).add(k);
        }
        long[] uids = new long[fingerprints.size()];
        long next = old.uidNext;
        int j = 0;
        boolean newSeen = false;
        for (int i = 0; i < uids.length; i++) {
            ArrayDeque<Integer> d = positions.get(fingerprints.get(i));
            while (d != null && !d.isEmpty() && d.peekFirst() < j) d.pollFirst();
            if (d != null && !d.isEmpty()) {
                if (newSeen) return fresh(old, fingerprints, now);
                int k = d.pollFirst();
                uids[i] = old.entries.get(k).uid;
                j = k + 1;
            } else {
                newSeen = true;
                uids[i] = next++;
            }
        }
        boolean changed = next != old.uidNext || uids.length != old.entries.size();
        if (!changed) return new Result(old, uids, false);
        return new Result(new UidIndex(old.uidValidity, next, entries(uids, fingerprints)), uids, true);
    }

    private static Result fresh(UidIndex old, List<String> fingerprints, long now) {
        long validity = old == null ? Math.max(now, 1) : Math.max(now, old.uidValidity + 1);
        long[] uids = new long[fingerprints.size()];
        for (int i = 0; i < uids.length; i++) uids[i] = i + 1;
        return new Result(new UidIndex(validity, uids.length + 1L, entries(uids, fingerprints)), uids, true);
    }

    /** The same UIDs after messages were removed by this store. */
    UidIndex withEntries(long[] uids, List<String> fingerprints) {
        return new UidIndex(uidValidity, uidNext, entries(uids, fingerprints));
    }

    private static List<Entry> entries(long[] uids, List<String> fingerprints) {
        List<Entry> list = new ArrayList<>(uids.length);
        for (int i = 0; i < uids.length; i++) list.add(new Entry(uids[i], fingerprints.get(i)));
        return list;
    }
}
