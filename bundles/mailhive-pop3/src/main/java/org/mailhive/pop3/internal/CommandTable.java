package org.mailhive.pop3.internal;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.mailhive.pop3.internal.Pop3Session.State;

/** Verb to command, with the states in which RFC 1939 allows it. */
final class CommandTable {

    record Entry(Set<State> states, Pop3Command command) {
    }

    private static final Set<State> AUTHORIZATION = EnumSet.of(State.AUTHORIZATION);
    private static final Set<State> TRANSACTION = EnumSet.of(State.TRANSACTION);
    private static final Set<State> ANY = EnumSet.allOf(State.class);

    private static final Map<String, Entry> COMMANDS = Map.ofEntries(
            Map.entry("CAPA", new Entry(ANY, (s, a) -> Reply.multi("Capability list follows", s.capabilities()))),
            Map.entry("QUIT", new Entry(ANY, (s, a) -> s.quit())),
            Map.entry("USER", new Entry(AUTHORIZATION, new UserCommand())),
            Map.entry("PASS", new Entry(AUTHORIZATION, new PassCommand())),
            Map.entry("AUTH", new Entry(AUTHORIZATION, new AuthCommand())),
            Map.entry("STLS", new Entry(AUTHORIZATION, new StlsCommand())),
            Map.entry("STAT", new Entry(TRANSACTION, new StatCommand())),
            Map.entry("LIST", new Entry(TRANSACTION, new ListCommand(false))),
            Map.entry("UIDL", new Entry(TRANSACTION, new ListCommand(true))),
            Map.entry("RETR", new Entry(TRANSACTION, new RetrCommand(false))),
            Map.entry("TOP", new Entry(TRANSACTION, new RetrCommand(true))),
            Map.entry("DELE", new Entry(TRANSACTION, new DeleCommand())),
            Map.entry("NOOP", new Entry(TRANSACTION, (s, a) -> a.isEmpty() ? Replies.OK : Replies.NO_ARGUMENTS)),
            Map.entry("RSET", new Entry(TRANSACTION, (s, a) -> {
                s.maildrop().undeleteAll();
                return Reply.ok(s.maildrop().liveCount() + " messages");
            })));

    private CommandTable() {
    }

    /** @return null for a verb this server does not know (APOP included: no shared secrets are kept) */
    static Entry find(String verb) {
        return COMMANDS.get(verb);
    }
}
