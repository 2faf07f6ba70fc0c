package org.mailhive.users.internal;

/** A line of the passwd-file that could not be read; the message names the line. */
public final class PasswdFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    public PasswdFileException(int line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
