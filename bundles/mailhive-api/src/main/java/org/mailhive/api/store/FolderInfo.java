package org.mailhive.api.store;

/** A folder in a listing: its name ("/" separates levels, "INBOX" is the inbox) and whether the user subscribed it. */
public record FolderInfo(String name, boolean subscribed) {
}
