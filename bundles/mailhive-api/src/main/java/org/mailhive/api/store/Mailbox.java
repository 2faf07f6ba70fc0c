package org.mailhive.api.store;

import java.io.IOException;
import java.util.List;

/**
 * One user's mail in one store: the folders and their subscriptions. Obtained from
 * {@link MailboxStore#open}; close it when the session ends.
 */
@org.osgi.annotation.versioning.ProviderType
public interface Mailbox extends AutoCloseable {

    /** Every folder, INBOX first. */
    List<FolderInfo> folders() throws IOException;

    /** Opens a folder; INBOX always exists (created on demand). */
    Folder folder(String name) throws IOException;

    void createFolder(String name) throws IOException;

    /** Deletes a folder and its messages; INBOX cannot be deleted. */
    void deleteFolder(String name) throws IOException;

    void renameFolder(String from, String to) throws IOException;

    void subscribe(String name, boolean subscribed) throws IOException;

    /** Bytes used by all folders, for quota. */
    long usage() throws IOException;

    /** Registers for changes made through any session of this store to this user's folders. */
    void addListener(FolderListener listener);

    void removeListener(FolderListener listener);

    @Override
    void close();
}
