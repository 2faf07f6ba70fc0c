package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.FolderInfo;
import org.mailhive.api.store.FolderListener;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation.Owner;
import org.mailhive.api.store.MailboxStore;

/**
 * One user's Maildir++: INBOX at the root, folders as {@code .A.B} directories, subscriptions in
 * the root's {@code subscriptions} file, one name per line with Maildir++'s '.' separator (what
 * Dovecot writes for this layout); lines written with '/' or Dovecot's tab-separated v2 form are
 * read too.
 */
final class MaildirMailbox implements Mailbox {

    static final String SUBSCRIPTIONS = "subscriptions";

    private final MaildirStore store;
    private final Path root;
    /** Who gets the files this session creates (system users), or null. */
    private final Owner owner;
    private final List<FolderListener> mine = new CopyOnWriteArrayList<>();

    MaildirMailbox(MaildirStore store, Path root) {
        this(store, root, null);
    }

    MaildirMailbox(MaildirStore store, Path root, Owner owner) {
        this.store = store;
        this.root = root;
        this.owner = owner;
    }

    MaildirStore store() {
        return store;
    }

    String canonical(String name) {
        return name.equalsIgnoreCase(MailboxStore.INBOX) ? MailboxStore.INBOX : name;
    }

    private boolean isInbox(String name) {
        return name.equalsIgnoreCase(MailboxStore.INBOX);
    }

    void ensure(FolderDir dir) throws IOException {
        store.ensureMaildir(dir.path(), !dir.path().equals(root), owner, root);
    }

    /** The directory of a folder that must exist (INBOX is created on demand). */
    FolderDir existing(String name) throws IOException {
        FolderDir d = store.dir(MaildirFolders.resolve(root, name), owner);
        if (isInbox(name)) {
            ensure(d);
        } else if (!d.exists()) {
            throw new NoSuchFileException("no such folder: " + name);
        }
        return d;
    }

    void changed(String folder) {
        store.listeners().changed(root, folder);
    }

    @Override
    public List<FolderInfo> folders() throws IOException {
        Set<String> subscribed = readSubscriptions();
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ".*")) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.length() < 2 || n.startsWith("..") || !Files.isDirectory(p.resolve(FolderDir.CUR))) continue;
                    String name = n.substring(1).replace('.', '/');
                    try {
                        MaildirFolders.validate(name);
                        names.add(name);
                    } catch (IllegalArgumentException e) {
                        // a directory no IMAP name maps to (e.g. "..trash" of another program): not a folder
                    }
                }
            }
        }
        // Maildir++ has no directory for a level: .Work.Old without .Work makes Work \Noselect
        return FolderInfo.listing(names, subscribed);
    }

    @Override
    public Folder folder(String name) throws IOException {
        return new MaildirFolder(this, canonical(name), existing(name));
    }

    @Override
    public void createFolder(String name) throws IOException {
        if (isInbox(name)) throw new FileAlreadyExistsException(MailboxStore.INBOX);
        Path dir = MaildirFolders.resolve(root, name);
        if (store.dir(dir).exists()) throw new FileAlreadyExistsException("folder exists: " + name);
        store.dir(dir, owner);
        store.ensureMaildir(root, false, owner, root);
        store.ensureMaildir(dir, true, owner, root);
    }

    @Override
    public void deleteFolder(String name) throws IOException {
        if (isInbox(name)) throw new IllegalArgumentException("INBOX cannot be deleted");
        Path dir = MaildirFolders.resolve(root, name);
        if (!store.dir(dir).exists()) throw new NoSuchFileException("no such folder: " + name);
        // renamed first so that no reader sees a half-deleted folder; ".." names are never folders
        Path trash = root.resolve("..trash-" + dir.getFileName() + "-" + System.nanoTime());
        Files.move(dir, trash);
        store.dir(root).disk().syncDirectory(root);
        deleteTree(trash);
        subscribe(name, false);
        changed(name);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Moves the folder and its subfolders ({@code .A} and {@code .A.*}), and their subscriptions. */
    @Override
    public void renameFolder(String from, String to) throws IOException {
        if (isInbox(from) || isInbox(to)) throw new IllegalArgumentException("INBOX cannot be renamed");
        Path src = MaildirFolders.resolve(root, from);
        Path dst = MaildirFolders.resolve(root, to);
        if (!store.dir(src).exists()) throw new NoSuchFileException("no such folder: " + from);
        if (Files.exists(dst)) throw new FileAlreadyExistsException("folder exists: " + to);
        if ((to + "/").startsWith(from + "/")) throw new IllegalArgumentException("cannot move a folder into itself");
        String prefix = src.getFileName() + ".";
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, prefix + "*")) {
            ds.forEach(children::add);
        }
        Files.move(src, dst);
        for (Path c : children) {
            String rest = c.getFileName().toString().substring(prefix.length());
            Files.move(c, root.resolve(dst.getFileName() + "." + rest));
        }
        store.dir(root).disk().syncDirectory(root);
        synchronized (store.dir(root)) {
            Set<String> subs = readSubscriptions();
            Set<String> next = new LinkedHashSet<>();
            boolean changedSubs = false;
            for (String s : subs) {
                if (s.equals(from) || s.startsWith(from + "/")) {
                    next.add(to + s.substring(from.length()));
                    changedSubs = true;
                } else {
                    next.add(s);
                }
            }
            if (changedSubs) writeSubscriptions(next);
        }
        changed(from);
        changed(to);
    }

    @Override
    public void subscribe(String name, boolean subscribed) throws IOException {
        String n = canonical(name);
        if (!isInbox(n)) MaildirFolders.validate(n);
        // one lock object per root: the FolderDir of the root is shared by all sessions of this store
        synchronized (store.dir(root)) {
            Set<String> subs = readSubscriptions();
            boolean changedSubs = subscribed ? subs.add(n) : subs.remove(n);
            if (changedSubs) writeSubscriptions(subs);
        }
    }

    private Set<String> readSubscriptions() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(SUBSCRIPTIONS), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.equals("V\t2") || l.equals("V 2")) continue;
            String name = l.replace('\t', '/').replace('.', '/');
            out.add(canonical(name));
        }
        return out;
    }

    private void writeSubscriptions(Set<String> subs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String s : subs) sb.append(s.replace('/', '.')).append('\n');
        store.ensureMaildir(root, false, owner, root);
        AtomicFiles.replace(root.resolve(SUBSCRIPTIONS), sb.toString().getBytes(StandardCharsets.UTF_8),
                store.dir(root).disk(), owner);
    }

    @Override
    public long usage() throws IOException {
        long sum = 0;
        for (FolderInfo f : folders()) {
            try (Folder folder = folder(f.name())) {
                sum += folder.totalSize();
            } catch (NoSuchFileException e) {
                // deleted while we counted
            }
        }
        return sum;
    }

    @Override
    public void addListener(FolderListener listener) {
        mine.add(listener);
        store.listeners().add(root, listener);
    }

    @Override
    public void removeListener(FolderListener listener) {
        mine.remove(listener);
        store.listeners().remove(root, listener);
    }

    @Override
    public void close() {
        for (FolderListener l : mine) store.listeners().remove(root, l);
        mine.clear();
    }
}
