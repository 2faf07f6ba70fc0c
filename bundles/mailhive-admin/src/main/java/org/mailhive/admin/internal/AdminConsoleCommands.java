package org.mailhive.admin.internal;

import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code mailhive:config}, {@code mailhive:check}, {@code mailhive:reload} in the Gogo console of
 * Felix or Karaf, with the same words and output as {@code bin/mailhive}.
 */
@Component(service = AdminConsoleCommands.class, property = {"osgi.command.scope=mailhive",
        "osgi.command.function=config", "osgi.command.function=check", "osgi.command.function=reload"})
public final class AdminConsoleCommands {

    private final AdminCommands commands;

    @Activate
    public AdminConsoleCommands(BundleContext context, @Reference ConfigurationAdmin cm) {
        this.commands = new AdminCommands(new ServerActions(context, new CmConfigStore(cm)));
    }

    /** {@code config [-d] [-n] [-x] [KEY | PID/KEY ...]}: the effective values ConfigurationAdmin holds. */
    public String config(String... args) {
        return run("config", args);
    }

    /** Validates the .cfg files, certificates, alias and passwd files, directory permissions. */
    public String check() {
        return run("check");
    }

    /** Re-reads every .cfg and updates the configurations that changed. */
    public String reload() {
        return run("reload");
    }

    private String run(String cmd, String... args) {
        List<String> words = new java.util.ArrayList<>();
        words.add(cmd);
        words.addAll(List.of(args));
        Answer a = commands.handle(words);
        String text = String.join("\n", a.all());
        // Gogo shows an exception as the command's failure, so a refusal is not mistaken for output
        if (a.exit() != 0) throw new IllegalStateException(text);
        return text;
    }
}
