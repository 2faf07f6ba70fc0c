package org.mailhive.smtp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The smtpd lines of the mail log, worded as Postfix's so that existing log tools read them. */
final class MailLog {

    private static final Logger LOG = LoggerFactory.getLogger("mail.smtpd");

    /** Per-verb counts for the disconnect line: ok and total. */
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private final String client;

    MailLog(String client) {
        this.client = client;
    }

    void connect() {
        LOG.info("connect from {}", client);
    }

    void queued(String queueId, String saslMethod, String saslUser) {
        LOG.info(queuedLine(queueId, saslMethod, saslUser));
    }

    String queuedLine(String queueId, String saslMethod, String saslUser) {
        String line = queueId + ": client=" + client;
        return saslUser == null ? line : line + ", sasl_method=" + saslMethod + ", sasl_username=" + saslUser;
    }

    /** Worded as Postfix's, which fail2ban's postfix-sasl filter matches. */
    void saslFailed(String method, String username) {
        LOG.warn(saslFailedLine(method, username));
    }

    String saslFailedLine(String method, String username) {
        String line = "warning: " + client + ": SASL " + method + " authentication failed: authentication failure";
        return username == null || username.isEmpty() ? line : line + ", sasl_username=" + username;
    }

    void reject(String queueId, String stage, SmtpReply reply, MailAddress from, MailAddress to, String proto,
            String helo) {
        LOG.info(rejectLine(queueId, stage, reply, from, to, proto, helo));
    }

    String rejectLine(String queueId, String stage, SmtpReply reply, MailAddress from, MailAddress to, String proto,
            String helo) {
        StringBuilder sb = new StringBuilder();
        sb.append(queueId == null ? "NOQUEUE" : queueId).append(": reject: ").append(stage).append(" from ")
                .append(client).append(": ").append(reply.summary()).append(';');
        if (from != null) sb.append(" from=").append(from.toPath());
        if (to != null) sb.append(" to=").append(to.toPath());
        sb.append(" proto=").append(proto);
        if (helo != null && !helo.isEmpty()) sb.append(" helo=<").append(helo).append('>');
        return sb.toString();
    }

    void event(String what) {
        LOG.info("{} from {}", what, client);
    }

    void count(String verb, boolean ok) {
        int[] c = counts.computeIfAbsent(verb, v -> new int[2]);
        if (ok) c[0]++;
        c[1]++;
    }

    void disconnect() {
        LOG.info(disconnectLine());
    }

    String disconnectLine() {
        StringBuilder sb = new StringBuilder("disconnect from ").append(client);
        int ok = 0;
        int total = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            sb.append(' ').append(e.getKey()).append('=').append(ratio(c[0], c[1]));
            ok += c[0];
            total += c[1];
        }
        sb.append(" commands=").append(ratio(ok, total));
        return sb.toString();
    }

    private static String ratio(int ok, int total) {
        return ok == total ? Integer.toString(total) : ok + "/" + total;
    }
}
