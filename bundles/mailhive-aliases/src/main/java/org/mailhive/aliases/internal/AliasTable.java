package org.mailhive.aliases.internal;

import java.util.List;
import java.util.Map;

/**
 * The parsed content of one file: keys in lower case (an alias name, a full address or
 * {@code @domain}) to their values in file order, plus every syntax error found. A table with
 * errors is never put in force; the errors are all collected so newaliases can show them at once.
 */
public record AliasTable(String file, Map<String, List<AliasValue>> entries, List<AliasSyntaxException> errors) {

    public AliasTable {
        entries = Map.copyOf(entries);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public List<AliasValue> get(String key) {
        return entries.get(key);
    }
}
