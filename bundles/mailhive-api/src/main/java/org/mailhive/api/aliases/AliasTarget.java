package org.mailhive.api.aliases;

import org.mailhive.api.mail.MailAddress;

/**
 * One result of expanding a local recipient, as aliases(5) and .forward define them. {@code source}
 * says where the entry came from ({@link #ALIAS}, {@link #FORWARD}, {@link #INCLUDE}), because
 * Postfix's allow_mail_to_commands/files decide by it; {@code owner} is the local user whose
 * .forward or the alias name that produced it (for logs, DSNs, and the user a command runs as).
 */
public sealed interface AliasTarget {

    String ALIAS = "alias";
    String FORWARD = "forward";
    String INCLUDE = "include";

    String source();

    String owner();

    /** Deliver to this local user's mailbox ({@code \\user}, or a name that is not an alias). */
    record LocalUser(String user, String source, String owner) implements AliasTarget {
    }

    /** Send on to this address (local addresses are resubmitted and expanded again). */
    record Forward(MailAddress address, String source, String owner) implements AliasTarget {
    }

    /** Append to this file, mbox style. */
    record File(String path, String source, String owner) implements AliasTarget {
    }

    /** Pipe the message into {@code /bin/sh -c command}. */
    record Command(String command, String source, String owner) implements AliasTarget {
    }
}
