package org.mailhive.users.internal;

import java.nio.file.Path;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.mailhive.users.internal.cli.ConsoleSupport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mailhive:pw -s ARGON2ID secret} and {@code mailhive:user list|add|del|passwd} in the
 * Gogo console of Felix or Karaf. They run the shell commands' code on the passwd file that
 * {@code org.mailhive.users} configures, so the running server sees the change at its next lookup.
 */
@Component(service = UsersConsoleCommands.class, configurationPid = "org.mailhive.users", property = {
    "osgi.command.scope=mailhive", "osgi.command.function=pw", "osgi.command.function=user"})
public final class UsersConsoleCommands {

    private static final Logger LOG = LoggerFactory.getLogger(UsersConsoleCommands.class);

    private volatile Path file;

    @Activate
    @Modified
    void configure(BundleContext context, Map<String, Object> props) {
        apply(context.getProperty(PasswdFileUsers.CONFIG_DIR_PROPERTY), props);
    }

    void apply(String configDir, Map<String, Object> props) {
        Settings s = new Settings(props);
        Path chosen = PasswdFileUsers.passwdFile(configDir, s);
        // PasswdFileUsers logs the same problems at ERROR; once is enough
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::debug);
            if (file != null) return;
        }
        if (chosen != null) file = chosen;
    }

    /** {@code pw [-s SCHEME] [-r ROUNDS] [-t HASH] [-l] PASSWORD}, as {@code bin/mailhive pw}. */
    public String pw(String... args) {
        return answer(ConsoleSupport.pw(args));
    }

    /** {@code user list | add USER PASSWORD [--scheme S] | passwd USER PASSWORD [--scheme S] | del USER}. */
    public String user(String... words) {
        Path f = file;
        if (f == null) throw new IllegalStateException("no passwd file: set passwd_file in org.mailhive.users.cfg");
        return answer(ConsoleSupport.user(f, words));
    }

    /** Gogo shows an exception as the command's failure, so a refusal is not mistaken for output. */
    private static String answer(ConsoleSupport.Outcome o) {
        if (o.exitCode() != 0) throw new IllegalStateException(o.err().strip());
        return o.out() + o.err();
    }
}
