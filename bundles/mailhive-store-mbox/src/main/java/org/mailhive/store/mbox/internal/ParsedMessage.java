package org.mailhive.store.mbox.internal;

import java.time.Instant;
import java.util.Set;

/**
 * Where one message lies in an mbox file: its From_ line at {@code fromOffset}, the message from
 * {@code headerOffset} to {@code endOffset} (exclusive, without the blank separator line), its
 * size as readers see it (CRLF, unquoted, meta headers hidden) and what identifies it across
 * rewrites by other programs.
 */
record ParsedMessage(long fromOffset, long headerOffset, long endOffset, long size, Set<String> flags,
        Instant internalDate, String fingerprint) {

    ParsedMessage {
        flags = Set.copyOf(flags);
    }
}
