package org.mailhive.queue.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailhive.api.queue.QueueAdmin;
import org.mailhive.api.queue.QueueEntry;
import org.mailhive.api.queue.QueueId;

/**
 * The words of {@code bin/mailhive queue …} run against a QueueAdmin, with the answer as text:
 * the same code answers in the offline command and in the running queue manager.
 */
public final class QueueCommands {

    /** Exit code and the text for stdout (exit 0) or stderr (otherwise). */
    public record Answer(int exitCode, String text) {
    }

    public static final String USAGE = String.join("\n",
            "usage: mailhive queue list [--json]         (mailq: the queued messages)",
            "       mailhive queue show ID               envelope and headers of one message",
            "       mailhive queue flush [DOMAIN]        try deferred mail now (all, or for one domain)",
            "       mailhive queue delete ID...|ALL      remove messages",
            "       mailhive queue hold ID...|ALL        put messages on hold",
            "       mailhive queue release ID...|ALL     release messages from hold",
            "       mailhive queue requeue ID...|ALL     retry messages now with a fresh backoff");

    static final String HEADER = "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------";
    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx",
            Locale.ENGLISH);

    private QueueCommands() {
    }

    /** Null when the words form a command, else what is wrong (exit code 2). */
    public static String usageProblem(List<String> words) {
        if (words.isEmpty()) return "no queue command given";
        String cmd = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (cmd) {
            case "list" -> {
                if (args.size() > 1 || (args.size() == 1 && !args.get(0).equals("--json"))) {
                    return "list takes only --json";
                }
            }
            case "show" -> {
                if (args.size() != 1) return "show takes one queue id";
                if (!QueueAdminOps.validId(args.get(0).toUpperCase(Locale.ROOT))) return "bad queue id " + args.get(0);
            }
            case "flush" -> {
                if (args.size() > 1) return "flush takes at most one domain";
                if (args.size() == 1 && !args.get(0).matches("[A-Za-z0-9.\\[\\]:_-]+")) {
                    return "bad domain " + args.get(0);
                }
            }
            case "delete", "hold", "release", "requeue" -> {
                if (args.isEmpty()) return cmd + " needs queue ids or ALL";
                for (String a : args) {
                    if (!a.equalsIgnoreCase(QueueAdmin.ALL) && !QueueAdminOps.validId(a.toUpperCase(Locale.ROOT))) {
                        return "bad queue id " + a;
                    }
                }
            }
            default -> {
                return "unknown queue command " + cmd;
            }
        }
        return null;
    }

    public static Answer run(QueueAdmin admin, List<String> words, ZoneId zone) {
        String problem = usageProblem(words);
        if (problem != null) return new Answer(2, problem);
        List<String> args = words.subList(1, words.size());
        try {
            switch (words.get(0)) {
                case "list" -> {
                    List<QueueEntry> entries = admin.list();
                    return new Answer(0, args.isEmpty() ? mailq(entries, zone) : json(entries));
                }
                case "show" -> {
                    return show(admin, new QueueId(args.get(0).toUpperCase(Locale.ROOT)), zone);
                }
                case "flush" -> {
                    int n = admin.flush(args.isEmpty() ? null : args.get(0));
                    return new Answer(0, "Flushed: " + count(n) + "\n");
                }
                case "delete" -> {
                    return new Answer(0, "Deleted: " + count(admin.delete(args)) + "\n");
                }
                case "hold" -> {
                    return new Answer(0, "Placed on hold: " + count(admin.hold(args)) + "\n");
                }
                case "release" -> {
                    return new Answer(0, "Released from hold: " + count(admin.release(args)) + "\n");
                }
                default -> {
                    return new Answer(0, "Requeued: " + count(admin.requeue(args)) + "\n");
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Answer(1, words.get(0) + " failed: " + e);
        }
    }

    private static String count(int n) {
        return n + (n == 1 ? " message" : " messages");
    }

    private static Answer show(QueueAdmin admin, QueueId id, ZoneId zone) throws IOException {
        Optional<QueueEntry> e = admin.show(id);
        if (e.isEmpty()) return new Answer(1, "no message " + id + " in the queue");
        QueueEntry q = e.get();
        StringBuilder sb = new StringBuilder();
        sb.append("Queue ID: ").append(q.id()).append('\n');
        sb.append("Queue: ").append(q.queue()).append('\n');
        sb.append("Size: ").append(q.size()).append('\n');
        sb.append("Arrival: ").append(FULL.format(q.arrival().atZone(zone))).append('\n');
        if (q.nextTry() != null && q.queue().equals("deferred")) {
            sb.append("Next try: ").append(FULL.format(q.nextTry().atZone(zone))).append('\n');
        }
        sb.append("Sender: <").append(q.sender()).append(">\n");
        for (QueueEntry.Pending p : q.recipients()) {
            sb.append("Recipient: <").append(p.address()).append('>');
            if (!p.reason().isEmpty()) sb.append(" (").append(p.reason()).append(')');
            sb.append('\n');
        }
        sb.append('\n');
        String headers = admin.headers(id).orElse("");
        sb.append(headers.replace("\r\n", "\n"));
        return new Answer(0, sb.toString());
    }

    /** Postfix's mailq layout: {@code *} marks a message being delivered, {@code !} one on hold. */
    static String mailq(List<QueueEntry> entries, ZoneId zone) {
        if (entries.isEmpty()) return "Mail queue is empty\n";
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        long bytes = 0;
        for (QueueEntry e : entries) {
            bytes += e.size();
            String flag = switch (e.queue()) {
                case "active" -> "*";
                case "hold" -> "!";
                default -> "";
            };
            String line = String.format(Locale.ROOT, "%-14s %8d %s  ", e.id() + flag, e.size(),
                    ARRIVAL.format(e.arrival().atZone(zone)));
            String indent = " ".repeat(line.length());
            sb.append(line).append(e.sender().isNullSender() ? "MAILER-DAEMON" : display(e.sender())).append('\n');
            Map<String, List<String>> byReason = new LinkedHashMap<>();
            for (QueueEntry.Pending p : e.recipients()) {
                byReason.computeIfAbsent(p.reason(), k -> new ArrayList<>()).add(display(p.address()));
            }
            for (Map.Entry<String, List<String>> r : byReason.entrySet()) {
                if (!r.getKey().isEmpty()) sb.append('(').append(r.getKey()).append(")\n");
                for (String a : r.getValue()) sb.append(indent).append(a).append('\n');
            }
            sb.append('\n');
        }
        long kbytes = (bytes + 1023) / 1024;
        sb.append("-- ").append(kbytes).append(" Kbytes in ").append(entries.size())
                .append(entries.size() == 1 ? " Request.\n" : " Requests.\n");
        return sb.toString();
    }

    /** One JSON object per line and message, with postqueue -j's field names plus next_try. */
    static String json(List<QueueEntry> entries) {
        StringBuilder sb = new StringBuilder();
        for (QueueEntry e : entries) {
            sb.append("{\"queue_name\": ").append(quote(e.queue()))
                    .append(", \"queue_id\": ").append(quote(e.id().value()))
                    .append(", \"arrival_time\": ").append(e.arrival().getEpochSecond())
                    .append(", \"message_size\": ").append(e.size())
                    .append(", \"sender\": ").append(quote(display(e.sender())))
                    .append(", \"recipients\": [");
            for (int i = 0; i < e.recipients().size(); i++) {
                QueueEntry.Pending p = e.recipients().get(i);
                if (i > 0) sb.append(", ");
                sb.append("{\"address\": ").append(quote(display(p.address())));
                if (!p.reason().isEmpty()) sb.append(", \"delay_reason\": ").append(quote(p.reason()));
                sb.append('}');
            }
            sb.append("]");
            Instant next = e.nextTry();
            if (next != null) sb.append(", \"next_try\": ").append(next.getEpochSecond());
            sb.append("}\n");
        }
        return sb.toString();
    }

    /** An address as mailq shows it; one sendmail left unqualified (pickup completes it) has no {@code @}. */
    static String display(org.mailhive.api.mail.MailAddress a) {
        return a.domain().isEmpty() ? a.localPart() : a.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
