package org.mailhive.pop3.internal;

/** RETR n and TOP n lines: the message, or its header and first lines of body, dot-stuffed and streamed. */
final class RetrCommand implements Pop3Command {

    private final boolean top;

    RetrCommand(boolean top) {
        this.top = top;
    }

    @Override
    public Reply execute(Pop3Session session, String argument) {
        String[] parts = argument.isEmpty() ? new String[0] : argument.split(" ", -1);
        if (parts.length != (top ? 2 : 1)) return parts.length == 0 ? Replies.NEED_ARGUMENT : Replies.BAD_NUMBER;
        MessageNumber msg = MessageNumber.parse(session.maildrop(), parts[0]);
        if (msg.error() != null) return msg.error();
        long lines = -1;
        if (top) {
            String l = parts[1];
            if (l.isEmpty() || l.length() > 18 || !l.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Replies.BAD_LINE_COUNT;
            }
            lines = Long.parseLong(l);
        }
        return session.send(msg.n(), lines);
    }
}
