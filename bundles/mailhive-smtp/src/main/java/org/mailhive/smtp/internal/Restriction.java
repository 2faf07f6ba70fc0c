package org.mailhive.smtp.internal;

import java.util.ArrayList;
import java.util.List;

/** One entry of an smtpd_*_restrictions list: a check name and its optional argument. */
record Restriction(String name, String argument) {

    /**
     * Splits a Postfix restriction list. A token with '.', ':' or '/' in it is the argument of the
     * name before it ({@code reject_rbl_client zen.example}), because check names never have one.
     */
    static List<Restriction> parse(List<String> tokens) {
        List<Restriction> out = new ArrayList<>();
        for (String t : tokens) {
            boolean isArgument = t.indexOf('.') >= 0 || t.indexOf(':') >= 0 || t.indexOf('/') >= 0;
            if (isArgument && !out.isEmpty() && out.get(out.size() - 1).argument() == null) {
                Restriction prev = out.remove(out.size() - 1);
                out.add(new Restriction(prev.name(), t));
            } else {
                out.add(new Restriction(t, null));
            }
        }
        return List.copyOf(out);
    }

    static List<String> names(List<Restriction> list) {
        return list.stream().map(Restriction::name).toList();
    }
}
