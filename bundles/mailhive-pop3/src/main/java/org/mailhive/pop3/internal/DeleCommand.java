package org.mailhive.pop3.internal;

/** DELE n: marks the message; it is removed only at QUIT (the UPDATE state). */
final class DeleCommand implements Pop3Command {

    @Override
    public Reply execute(Pop3Session session, String argument) {
        Maildrop m = session.maildrop();
        MessageNumber msg = MessageNumber.parse(m, argument);
        if (msg.error() != null) return msg.error();
        m.delete(msg.n());
        return Replies.MARKED;
    }
}
