package org.mailhive.queue.internal.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.queue.internal.Maildrop;
import org.mailhive.queue.internal.MaildropPickup;

/**
 * {@code bin/sendmail}: the sendmail interface that mail(1), cron and scripts use. It writes the
 * message into the maildrop (fsync'd, then renamed into view) and exits 0 only then, so it works
 * while the server is down; the server's pickup moves it on. The queue modes ({@code -bp},
 * {@code -q}, {@code -bi}) are run by the bin script with the queue and aliases commands.
 * Exit codes are sendmail's (sysexits): 0, 64 usage, 65 bad data, 75 try again later.
 */
public final class SendmailCommand {

    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_TEMPFAIL = 75;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final String login;

    SendmailCommand(InputStream in, PrintStream out, PrintStream err, String login) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.login = login;
    }

    public static void main(String[] args) {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int code = new SendmailCommand(new BufferedInputStream(System.in, 64 * 1024), System.out, System.err,
                System.getProperty("user.name", "nobody")).run(args);
        System.exit(code);
    }

    int run(String... args) {
        String configDir = System.getProperty("mailhive.config");
        String dataDir = System.getProperty("mailhive.data");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--config") || a.equals("--data")) && i + 1 < args.length) {
                if (a.equals("--config")) configDir = args[++i]; else dataDir = args[++i];
            } else if (a.startsWith("--config=")) {
                configDir = a.substring(9);
            } else if (a.startsWith("--data=")) {
                dataDir = a.substring(7);
            } else {
                rest.add(a);
            }
        }
        SendmailOptions o;
        try {
            o = SendmailOptions.parse(rest);
        } catch (SendmailOptions.UsageException e) {
            return fatal(EX_USAGE, e.getMessage());
        }
        if (configDir == null || dataDir == null) {
            return fatal(EX_USAGE, "no instance: set MAILHIVE_CONFIG and MAILHIVE_DATA or pass --config/--data");
        }
        Maildrop maildrop;
        try {
            maildrop = new Maildrop(QueueCommand.queueDirectory(Path.of(configDir), Path.of(dataDir)));
        } catch (IOException e) {
            return fatal(EX_TEMPFAIL, "cannot read the configuration: " + e.getMessage());
        }
        return switch (o.mode()) {
            case DELIVER -> deliver(o, maildrop);
            case SMTP -> new LocalSmtpSession(in, out, maildrop, login).run();
            default -> fatal(EX_USAGE, "queue modes are run by bin/sendmail itself; call it, not this class");
        };
    }

    private int deliver(SendmailOptions o, Maildrop maildrop) {
        Set<MailAddress> rcpts = new LinkedHashSet<>();
        for (String a : o.recipients()) rcpts.addAll(SubmissionReader.addresses(a));
        if (rcpts.isEmpty() && !o.extractRecipients()) {
            return fatal(EX_USAGE, "Recipient addresses must be specified on the command line or via the -t option");
        }
        MailAddress sender;
        try {
            sender = o.sender() == null ? MailAddress.of(login, "") : parseSender(o.sender());
        } catch (IllegalArgumentException e) {
            return fatal(EX_USAGE, "bad sender address " + o.sender() + ": " + e.getMessage());
        }
        try (Maildrop.Entry entry = maildrop.open()) {
            SubmissionReader.Result r;
            try (OutputStream content = entry.content()) {
                r = new SubmissionReader(in, o.ignoreDots()).copy(content, o.extractRecipients());
            }
            rcpts.addAll(r.headerRecipients());
            if (rcpts.isEmpty()) return fatal(EX_DATAERR, "No recipient addresses found in message header");
            Map<String, String> attrs = new HashMap<>();
            if (o.sender() != null) attrs.put(MaildropPickup.ATTR_SET_SENDER, "true");
            if (o.fullName() != null && !o.fullName().isBlank()) attrs.put(MaildropPickup.ATTR_FULL_NAME, o.fullName().strip());
            if (o.ret() != null) attrs.put(Envelope.DSN_RET, o.ret().toUpperCase(java.util.Locale.ROOT));
            if (o.envid() != null) attrs.put(Envelope.DSN_ENVID, o.envid());
            if (o.bodyType() != null) attrs.put(Envelope.BODY, o.bodyType().toUpperCase(java.util.Locale.ROOT));
            else if (r.eightBit()) attrs.put(Envelope.BODY, "8BITMIME");
            Map<String, String> params = o.dsnNotify() == null ? Map.of()
                    : Map.of("NOTIFY", o.dsnNotify().toUpperCase(java.util.Locale.ROOT));
            List<Recipient> list = rcpts.stream().map(a -> new Recipient(a, params)).toList();
            entry.commit(new Envelope(sender, list, attrs));
            return EX_OK;
        } catch (IOException e) {
            return fatal(EX_TEMPFAIL, "cannot write to the maildrop: " + e);
        }
    }

    /** {@code -f ''} and {@code -f <>} are the null sender; a bare name is completed by pickup. */
    static MailAddress parseSender(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.equals("<>")) return MailAddress.NULL_SENDER;
        if (t.startsWith("<") && t.endsWith(">")) t = t.substring(1, t.length() - 1);
        if (t.indexOf('@') < 0) {
            if (!t.matches("[A-Za-z0-9._+=-]+")) throw new IllegalArgumentException("not a user name");
            return MailAddress.of(t, "");
        }
        return MailAddress.parse(t);
    }

    private int fatal(int code, String message) {
        err.println("sendmail: fatal: " + message);
        return code;
    }
}
