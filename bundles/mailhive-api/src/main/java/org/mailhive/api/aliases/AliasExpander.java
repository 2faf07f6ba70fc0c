package org.mailhive.api.aliases;

import java.util.List;
import java.util.Optional;
import org.mailhive.api.mail.MailAddress;

/**
 * aliases(5), virtual_alias_maps and ~/.forward: what a local recipient really means. Expansion is
 * recursive with loop detection and a depth limit; duplicates are removed.
 */
@org.osgi.annotation.versioning.ProviderType
public interface AliasExpander {

    /**
     * The final targets of a recipient, or empty when it is neither an alias nor has a
     * .forward (deliver to the user as is). A recipient that expands to nothing (a loop, an
     * empty list) gives an empty list inside the Optional.
     */
    Optional<List<AliasTarget>> expand(MailAddress recipient);

    /** True when mail to this address is accepted because of an alias (for RCPT checks). */
    boolean isAlias(MailAddress recipient);
}
