package org.mailhive.pop3.internal;

/** One POP3 verb. Stateless: everything it changes lives in the session. */
interface Pop3Command {

    /**
     * @param argument the text after the verb and its space, as sent ("" when none)
     * @return the reply, or null when the command has written or scheduled its own output
     */
    Reply execute(Pop3Session session, String argument);
}
