package org.mailhive.aliases.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Keys of {@code org.mailhive.aliases.cfg}, named as Postfix's main.cf names them. */
@ObjectClassDefinition(name = "Mailhive aliases", description = "aliases(5), virtual_alias_maps and ~/.forward")
@interface AliasesConfig {

    @AttributeDefinition(name = "alias_maps",
            description = "aliases(5) files searched in order, comma separated; ${mailhive.config} is expanded."
                    + " Edits are picked up without restart.")
    String alias__maps() default "${mailhive.config}/aliases";

    @AttributeDefinition(name = "virtual_alias_maps",
            description = "Files of 'address  targets' and '@domain  target' (catch-all), searched in order; empty: none.")
    String virtual__alias__maps() default "";

    @AttributeDefinition(name = "recipient_delimiter",
            description = "Characters that start an address extension: alice+tag is alice. Empty: no extensions.")
    String recipient__delimiter() default "+";

    @AttributeDefinition(name = "forward_path",
            description = ".forward files tried in order; ~ and $home stand for the user's home.")
    String forward__path() default "~/.forward";

    @AttributeDefinition(name = "allow_mail_to_commands",
            description = "Sources (alias, forward, include) whose |command targets run; others are dropped with an error.")
    String allow__mail__to__commands() default "alias, forward";

    @AttributeDefinition(name = "allow_mail_to_files",
            description = "Sources (alias, forward, include) whose /file targets are written; others are dropped with an error.")
    String allow__mail__to__files() default "alias, forward";

    @AttributeDefinition(name = "alias_max_depth", description = "Deepest nesting of aliases, includes and .forward files.")
    int alias__max__depth() default 20;
}
