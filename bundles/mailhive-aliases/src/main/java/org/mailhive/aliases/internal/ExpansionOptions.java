package org.mailhive.aliases.internal;

import java.util.List;
import java.util.Set;

/**
 * The settings that shape an expansion, read from {@code org.mailhive.aliases}.
 *
 * @param recipientDelimiter characters that start an address extension; empty turns it off
 * @param forwardPath .forward locations tried in order; {@code ~} and {@code $home} are the home
 * @param allowCommands sources ({@code alias}, {@code forward}, {@code include}) allowed to pipe
 * @param allowFiles sources allowed to append to files
 */
record ExpansionOptions(String recipientDelimiter, List<String> forwardPath, Set<String> allowCommands,
        Set<String> allowFiles, int maxDepth) {

    static final ExpansionOptions DEFAULTS = new ExpansionOptions("+", List.of("~/.forward"),
            Set.of("alias", "forward"), Set.of("alias", "forward"), 20);

    ExpansionOptions {
        forwardPath = List.copyOf(forwardPath);
        allowCommands = Set.copyOf(allowCommands);
        allowFiles = Set.copyOf(allowFiles);
    }
}
