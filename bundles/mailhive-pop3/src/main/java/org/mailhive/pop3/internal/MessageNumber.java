package org.mailhive.pop3.internal;

/**
 * A message-number argument checked against the maildrop: a number from 1 that names a message
 * of the login snapshot not marked deleted, else the -ERR to answer.
 */
record MessageNumber(int n, Reply error) {

    static MessageNumber parse(Maildrop drop, String arg) {
        if (arg.isEmpty()) return new MessageNumber(0, Replies.NEED_ARGUMENT);
        if (arg.length() > 9 || !arg.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new MessageNumber(0, Replies.BAD_NUMBER);
        }
        int n = Integer.parseInt(arg);
        if (drop.message(n) == null) return new MessageNumber(0, Replies.NO_SUCH_MESSAGE);
        if (drop.isDeleted(n)) return new MessageNumber(0, Replies.MESSAGE_DELETED);
        return new MessageNumber(n, null);
    }
}
