package org.mailhive.pop3.internal;

/** STAT: messages not marked deleted and their size (RFC 1939 section 5). */
final class StatCommand implements Pop3Command {

    @Override
    public Reply execute(Pop3Session session, String argument) {
        if (!argument.isEmpty()) return Replies.NO_ARGUMENTS;
        Maildrop m = session.maildrop();
        return Reply.ok(m.liveCount() + " " + m.liveSize());
    }
}
