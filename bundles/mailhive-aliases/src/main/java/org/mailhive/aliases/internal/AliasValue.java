package org.mailhive.aliases.internal;

/**
 * One right-hand-side value of aliases(5), classified once at parse time so that expansion never
 * re-parses text. {@code text} is the name, address, path or command without its marker.
 */
public record AliasValue(Kind kind, String text, int line) {

    public enum Kind {
        /** A bare local name, expanded again as an alias in the same domain. */
        NAME,
        /** {@code user@domain}. */
        ADDRESS,
        /** {@code \\user}: the user's mailbox, no further expansion. */
        MAILBOX,
        /** {@code /path}. */
        FILE,
        /** {@code |command}. */
        COMMAND,
        /** {@code :include:/path}. */
        INCLUDE
    }
}
