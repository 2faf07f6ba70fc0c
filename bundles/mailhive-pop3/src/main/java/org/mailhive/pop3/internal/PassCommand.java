package org.mailhive.pop3.internal;

/** PASS password: the rest of the line is the password, spaces included (as Dovecot takes it). */
final class PassCommand implements Pop3Command {

    @Override
    public Reply execute(Pop3Session session, String argument) {
        if (!session.plaintextAuthAllowed()) return Replies.PLAINTEXT_DISALLOWED;
        String user = session.pendingUser();
        if (user == null) return Replies.NO_USER;
        return session.authenticate(user, argument.toCharArray(), "PLAIN");
    }
}
