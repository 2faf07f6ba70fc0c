package org.mailhive.pop3.internal;

import java.util.ArrayList;
import java.util.List;

/** LIST [n] and UIDL [n]: size or unique id of one message or of every message not marked deleted. */
final class ListCommand implements Pop3Command {

    private final boolean uidl;

    ListCommand(boolean uidl) {
        this.uidl = uidl;
    }

    @Override
    public Reply execute(Pop3Session session, String argument) {
        Maildrop m = session.maildrop();
        if (!argument.isEmpty()) {
            MessageNumber msg = MessageNumber.parse(m, argument);
            if (msg.error() != null) return msg.error();
            return Reply.ok(msg.n() + " " + value(m, msg.n()));
        }
        List<String> lines = new ArrayList<>(m.size());
        for (int n = 1; n <= m.size(); n++) {
            if (!m.isDeleted(n)) lines.add(n + " " + value(m, n));
        }
        return Reply.multi(uidl ? "" : m.liveCount() + " messages:", lines);
    }

    private String value(Maildrop m, int n) {
        return uidl ? m.uniqueId(n) : Long.toString(m.message(n).size());
    }
}
