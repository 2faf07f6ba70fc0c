package org.mailhive.api.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A folder in a listing: its name ("/" separates levels, "INBOX" is the inbox), whether the user
 * subscribed it, whether it holds messages at all ({@code selectable}: false for a level that only
 * exists above other folders, e.g. {@code Archive} when only {@code Archive/2024} was created in a
 * Maildir, IMAP's \Noselect) and whether folders lie below it (IMAP's \HasChildren).
 */
public record FolderInfo(String name, boolean subscribed, boolean selectable, boolean hasChildren) {

    /** A folder that holds messages and has none below it. */
    public FolderInfo(String name, boolean subscribed) {
        this(name, subscribed, true, false);
    }

    /**
     * The listing of a mailbox whose folders are {@code folders} (INBOX among them or not): INBOX
     * first, then every folder and every level above one that is no folder itself, in name order.
     */
    public static List<FolderInfo> listing(Collection<String> folders, Set<String> subscribed) {
        TreeSet<String> real = new TreeSet<>(folders);
        real.remove(MailboxStore.INBOX);
        TreeSet<String> all = new TreeSet<>(real);
        for (String f : real) {
            for (int slash = f.indexOf('/'); slash > 0; slash = f.indexOf('/', slash + 1)) {
                String parent = f.substring(0, slash);
                if (!parent.equalsIgnoreCase(MailboxStore.INBOX)) all.add(parent);
            }
        }
        List<FolderInfo> out = new ArrayList<>(all.size() + 1);
        out.add(new FolderInfo(MailboxStore.INBOX, subscribed.contains(MailboxStore.INBOX), true,
                hasChildren(all, MailboxStore.INBOX)));
        for (String name : all) {
            out.add(new FolderInfo(name, subscribed.contains(name), real.contains(name), hasChildren(all, name)));
        }
        return out;
    }

    private static boolean hasChildren(TreeSet<String> names, String name) {
        String below = names.ceiling(name + "/");
        return below != null && below.startsWith(name + "/");
    }
}
