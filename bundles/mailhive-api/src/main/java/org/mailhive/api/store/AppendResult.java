package org.mailhive.api.store;

/** The stored message: folder, and the store's own name for it (file name, UID…), for the log. */
public record AppendResult(String folder, String storedAs) {
}
