package org.mailhive.pop3.internal;

/** USER name: remembered for PASS; the answer never tells whether the user exists. */
final class UserCommand implements Pop3Command {

    @Override
    public Reply execute(Pop3Session session, String argument) {
        if (!session.plaintextAuthAllowed()) return Replies.PLAINTEXT_DISALLOWED;
        String name = argument.strip();
        if (name.isEmpty()) return Replies.NEED_ARGUMENT;
        session.pendingUser(name);
        return Replies.USER_OK;
    }
}
