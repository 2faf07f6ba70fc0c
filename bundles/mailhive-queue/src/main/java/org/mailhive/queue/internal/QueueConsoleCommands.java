package org.mailhive.queue.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.queue.QueueAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The queue commands in the Gogo console of Felix or Karaf: {@code mailhive:queue list},
 * {@code mailhive:queue delete ALL}, {@code mailhive:mailq} — the same words and output as
 * {@code bin/mailhive queue}, because both go through {@link QueueCommands}.
 */
@Component(service = QueueConsoleCommands.class, property = {"osgi.command.scope=mailhive",
        "osgi.command.function=queue", "osgi.command.function=mailq"})
public final class QueueConsoleCommands {

    private final QueueAdmin admin;

    @org.osgi.service.component.annotations.Activate
    public QueueConsoleCommands(@Reference QueueAdmin admin) {
        this.admin = admin;
    }

    /** {@code queue list [--json] | show ID | flush [DOMAIN] | delete|hold|release|requeue ID…|ALL}. */
    public String queue(String... words) {
        List<String> w = List.of(words);
        String problem = QueueCommands.usageProblem(w);
        if (problem != null) throw new IllegalArgumentException(problem + "\n" + QueueCommands.USAGE);
        QueueCommands.Answer a = QueueCommands.run(admin, w, ZoneId.systemDefault());
        // Gogo shows an exception as the command's failure, so a refusal is not mistaken for output
        if (a.exitCode() != 0) throw new IllegalStateException(a.text().strip());
        return a.text();
    }

    /** Postfix's mailq: {@code queue list}. */
    public String mailq(String... options) {
        List<String> w = new ArrayList<>();
        w.add("list");
        w.addAll(List.of(options));
        return queue(w.toArray(new String[0]));
    }
}
