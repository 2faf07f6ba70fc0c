package org.mailhive.admin.internal;

import java.util.List;

/** What a command prints on standard output and standard error, and its exit code (0 ok, 1 failed, 2 usage). */
public record Answer(List<String> out, List<String> err, int exit) {

    public Answer {
        out = List.copyOf(out);
        err = List.copyOf(err);
    }

    public static Answer usage(String problem, String usage) {
        return new Answer(List.of(), List.of(problem, usage), 2);
    }

    /** Standard output then standard error, for channels that have only one stream (Gogo, the admin socket). */
    public List<String> all() {
        if (err.isEmpty()) return out;
        java.util.ArrayList<String> l = new java.util.ArrayList<>(out);
        l.addAll(err);
        return l;
    }
}
