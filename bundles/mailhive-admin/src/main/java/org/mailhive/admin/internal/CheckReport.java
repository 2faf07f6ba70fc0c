package org.mailhive.admin.internal;

import java.util.ArrayList;
import java.util.List;

/** The findings of {@code mailhive check}: one line each, {@code warning: FILE: KEY: reason} or {@code error: …}. */
public final class CheckReport {

    private final List<String> lines = new ArrayList<>();
    private boolean errors;

    public void warning(String where, String reason) {
        lines.add("warning: " + where + ": " + reason);
    }

    public void error(String where, String reason) {
        errors = true;
        lines.add("error: " + where + ": " + reason);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean hasErrors() {
        return errors;
    }

    /** Like postfix check: nothing printed when all is fine; exit 1 when there is an error. */
    public Answer answer() {
        return new Answer(lines, List.of(), errors ? 1 : 0);
    }
}
