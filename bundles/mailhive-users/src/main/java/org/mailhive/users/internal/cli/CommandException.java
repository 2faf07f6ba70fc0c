package org.mailhive.users.internal.cli;

/** Ends a command with an exit code and a message for stderr. */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
