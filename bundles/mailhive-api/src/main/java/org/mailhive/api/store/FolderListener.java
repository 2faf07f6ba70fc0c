package org.mailhive.api.store;

/**
 * Told when another session or a delivery changed a folder, so an IMAP IDLE or a POP3 session can
 * refresh. Called on the changing thread: keep it short and never call back into the store.
 */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface FolderListener {

    void changed(String folder);
}
