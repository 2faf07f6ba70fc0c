package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.mailhive.api.store.Folder;
import org.mailhive.api.store.FolderInfo;
import org.mailhive.api.store.FolderListener;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxStore;

/** One user's mbox folders; subscriptions in {@code <root>/.subscriptions} as Dovecot keeps them. */
final class MboxMailbox implements Mailbox {

    private final MboxLayout layout;
    private final MboxRegistry registry;
    private final Supplier<MboxEnv> env;
    private final List<FolderListener> mine = new CopyOnWriteArrayList<>();

    MboxMailbox(MboxLayout layout, MboxRegistry registry, Supplier<MboxEnv> env) {
        this.layout = layout;
        this.registry = registry;
        this.env = env;
    }

    MboxEnv env() {
        return env.get();
    }

    void changed(String folder) {
        registry.changed(layout.inbox(), folder);
    }

    @Override
    public List<FolderInfo> folders() throws IOException {
        // a level is a directory, which holds folders but no messages: \Noselect
        return FolderInfo.listing(layout.folders(), subscriptions());
    }

    @Override
    public Folder folder(String name) throws IOException {
        String canonical = MboxLayout.canonical(name);
        MboxFile file = registry.file(layout.file(canonical), layout);
        if (MboxLayout.isInbox(canonical)) {
            file.create();
        } else if (!Files.isRegularFile(file.path)) {
            throw new NoSuchFileException(canonical, null, "no such folder");
        }
        return new MboxFolder(this, canonical, file);
    }

    @Override
    public void createFolder(String name) throws IOException {
        String canonical = MboxLayout.canonical(name);
        MboxFile file = registry.file(layout.file(canonical), layout);
        if (!file.create() && !MboxLayout.isInbox(canonical)) throw new FileAlreadyExistsException(canonical);
        changed(canonical);
    }

    @Override
    public void deleteFolder(String name) throws IOException {
        String canonical = MboxLayout.canonical(name);
        if (MboxLayout.isInbox(canonical)) throw new IllegalArgumentException("INBOX cannot be deleted");
        Path p = layout.file(canonical);
        if (Files.isDirectory(p)) {
            try {
                Files.delete(p);
            } catch (DirectoryNotEmptyException e) {
                throw new DirectoryNotEmptyException(canonical + " has subfolders");
            }
        } else {
            Files.delete(p);
            Files.deleteIfExists(UidIndex.pathFor(p));
        }
        changed(canonical);
    }

    @Override
    public void renameFolder(String from, String to) throws IOException {
        String a = MboxLayout.canonical(from);
        String b = MboxLayout.canonical(to);
        if (MboxLayout.isInbox(a) || MboxLayout.isInbox(b)) {
            throw new IllegalArgumentException("INBOX cannot be renamed in an mbox mailbox");
        }
        Path src = layout.file(a);
        Path dst = layout.file(b);
        if (!Files.exists(src)) throw new NoSuchFileException(a);
        if (Files.exists(dst)) throw new FileAlreadyExistsException(b);
        MboxOwner.createDirectories(dst.getParent(), layout);
        Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
        Path index = UidIndex.pathFor(src);
        if (Files.exists(index)) Files.move(index, UidIndex.pathFor(dst), StandardCopyOption.ATOMIC_MOVE);
        Durability.syncDirectory(dst.getParent());
        changed(a);
        changed(b);
    }

    @Override
    public void subscribe(String name, boolean subscribed) throws IOException {
        String canonical = MboxLayout.canonical(name);
        Path file = layout.root().resolve(".subscriptions");
        synchronized (registry.file(file)) {
            Set<String> subs = subscriptions();
            boolean changed = subscribed ? subs.add(canonical) : subs.remove(canonical);
            if (!changed) return;
            MboxOwner.createDirectories(layout.root(), layout);
            Path tmp = file.resolveSibling(".subscriptions.tmp");
            StringBuilder sb = new StringBuilder();
            for (String s : subs) sb.append(s).append('\n');
            Files.deleteIfExists(tmp);
            Files.writeString(tmp, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            MboxOwner.own(tmp, layout);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private Set<String> subscriptions() throws IOException {
        Set<String> subs = new TreeSet<>();
        Path file = layout.root().resolve(".subscriptions");
        if (!Files.isRegularFile(file)) return subs;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String s = line.trim();
            if (!s.isEmpty()) subs.add(MboxLayout.isInbox(s) ? MailboxStore.INBOX : s);
        }
        return subs;
    }

    @Override
    public long usage() throws IOException {
        long sum = Files.isRegularFile(layout.inbox()) ? Files.size(layout.inbox()) : 0;
        for (String name : layout.folders()) {
            try {
                sum += Files.size(layout.file(name));
            } catch (NoSuchFileException e) {
                // deleted while we counted
            }
        }
        return sum;
    }

    @Override
    public void addListener(FolderListener listener) {
        mine.add(listener);
        registry.addListener(layout.inbox(), listener);
    }

    @Override
    public void removeListener(FolderListener listener) {
        mine.remove(listener);
        registry.removeListener(layout.inbox(), listener);
    }

    @Override
    public void close() {
        for (FolderListener l : mine) registry.removeListener(layout.inbox(), l);
        mine.clear();
    }
}
