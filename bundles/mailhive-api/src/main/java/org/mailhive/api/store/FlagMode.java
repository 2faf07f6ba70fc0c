package org.mailhive.api.store;

/** How {@link Folder#setFlags} changes flags, as IMAP STORE FLAGS / +FLAGS / -FLAGS. */
public enum FlagMode {
    REPLACE, ADD, REMOVE
}
