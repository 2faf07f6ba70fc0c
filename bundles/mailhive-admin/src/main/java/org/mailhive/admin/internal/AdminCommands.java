package org.mailhive.admin.internal;

import java.util.List;

/** The words the admin socket understands, mapped onto the operator actions. */
public final class AdminCommands implements AdminServer.Handler {

    /** What the server can do for the operator; {@link ServerActions} in the framework, fakes in tests. */
    public interface Actions {
        Answer reload();

        List<String> status();

        Answer config(List<String> args);

        Answer check();
    }

    static final String USAGE = "commands: reload | status | config [-d] [-n] [-x] [KEY...] | check";

    private final Actions actions;

    public AdminCommands(Actions actions) {
        this.actions = actions;
    }

    @Override
    public Answer handle(List<String> words) {
        String cmd = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (cmd) {
            case "reload":
                return args.isEmpty() ? actions.reload() : Answer.usage("mailhive reload: no arguments expected", USAGE);
            case "status":
                return args.isEmpty() ? new Answer(actions.status(), List.of(), 0)
                        : Answer.usage("mailhive status: no arguments expected", USAGE);
            case "config":
                return actions.config(args);
            case "check":
                return args.isEmpty() ? actions.check() : Answer.usage("mailhive check: no arguments expected", USAGE);
            default:
                return Answer.usage("mailhive: unknown command \"" + cmd + "\"", USAGE);
        }
    }
}
