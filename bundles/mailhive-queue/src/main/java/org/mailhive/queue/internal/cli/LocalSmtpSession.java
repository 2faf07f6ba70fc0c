package org.mailhive.queue.internal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.queue.internal.Maildrop;
import org.mailhive.queue.internal.MaildropPickup;

/**
 * {@code sendmail -bs}: an SMTP conversation on standard input and output, for programs that
 * speak SMTP to a local sendmail. Each message goes into the maildrop like any local submission
 * (so pickup applies the same sender checks); nothing is relayed from here.
 */
final class LocalSmtpSession {

    private static final int LINE_LIMIT = 2048;

    private final InputStream in;
    private final PrintStream out;
    private final Maildrop maildrop;
    private final String login;
    private MailAddress sender;
    private final List<MailAddress> rcpts = new ArrayList<>();
    private final Map<String, String> mailParams = new HashMap<>();

    LocalSmtpSession(InputStream in, PrintStream out, Maildrop maildrop, String login) {
        this.in = in;
        this.out = out;
        this.maildrop = maildrop;
        this.login = login;
    }

    int run() {
        reply("220 localhost ESMTP Mailhive (sendmail -bs)");
        try {
            String line;
            while ((line = readCommand()) != null) {
                if (line.length() > LINE_LIMIT) {
                    reply("500 5.5.0 Error: line too long");
                    continue;
                }
                String verb = word(line).toUpperCase(Locale.ROOT);
                String arg = line.length() > verb.length() ? line.substring(verb.length()).strip() : "";
                switch (verb) {
                    case "HELO" -> reply("250 localhost");
                    case "EHLO" -> reply("250-localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");
                    case "MAIL" -> mail(arg);
                    case "RCPT" -> rcpt(arg);
                    case "DATA" -> data();
                    case "RSET" -> {
                        reset();
                        reply("250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply("250 2.0.0 Ok");
                    case "VRFY" -> reply("252 2.0.0 Send mail, delivery will be tried");
                    case "HELP" -> reply("214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY QUIT");
                    case "QUIT" -> {
                        reply("221 2.0.0 Bye");
                        return SendmailCommand.EX_OK;
                    }
                    default -> reply("502 5.5.2 Error: command not recognized");
                }
            }
            return SendmailCommand.EX_OK;
        } catch (IOException e) {
            return SendmailCommand.EX_TEMPFAIL;
        }
    }

    private void mail(String arg) {
        if (sender != null) {
            reply("503 5.5.1 Error: nested MAIL command");
            return;
        }
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            reply("501 5.5.4 Syntax: MAIL FROM:<address>");
            return;
        }
        String[] parts = arg.substring(5).strip().split("\\s+");
        try {
            MailAddress a = MailAddress.parsePath(parts[0], true);
            sender = a;
        } catch (IllegalArgumentException e) {
            try {
                sender = SendmailCommand.parseSender(parts[0]);
            } catch (IllegalArgumentException e2) {
                reply("501 5.1.7 Bad sender address syntax");
                return;
            }
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].toUpperCase(Locale.ROOT);
            if (p.startsWith("BODY=")) mailParams.put(Envelope.BODY, p.substring(5));
            if (p.startsWith("RET=")) mailParams.put(Envelope.DSN_RET, p.substring(4));
        }
        reply("250 2.1.0 Ok");
    }

    private void rcpt(String arg) {
        if (sender == null) {
            reply("503 5.5.1 Error: need MAIL command");
            return;
        }
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            reply("501 5.5.4 Syntax: RCPT TO:<address>");
            return;
        }
        String path = arg.substring(3).strip().split("\\s+")[0];
        MailAddress a;
        try {
            a = MailAddress.parsePath(path, false);
        } catch (IllegalArgumentException e) {
            String bare = path.startsWith("<") && path.endsWith(">") ? path.substring(1, path.length() - 1) : path;
            if (!bare.matches("[A-Za-z0-9._+=-]+")) {
                reply("501 5.1.3 Bad recipient address syntax");
                return;
            }
            a = MailAddress.of(bare, "");
        }
        rcpts.add(a);
        reply("250 2.1.5 Ok");
    }

    private void data() throws IOException {
        if (rcpts.isEmpty()) {
            reply(sender == null ? "503 5.5.1 Error: need MAIL command" : "503 5.5.1 Error: need RCPT command");
            return;
        }
        reply("354 End data with <CR><LF>.<CR><LF>");
        try (Maildrop.Entry entry = maildrop.open()) {
            try (OutputStream content = entry.content()) {
                new SubmissionReader(in, false, true).copy(content, false);
            }
            Map<String, String> attrs = new HashMap<>(mailParams);
            if (!sender.localPart().equalsIgnoreCase(login) || !sender.domain().isEmpty()) {
                attrs.put(MaildropPickup.ATTR_SET_SENDER, "true");
            }
            List<Recipient> list = rcpts.stream().map(r -> new Recipient(r, Map.of())).toList();
            String id = entry.commit(new Envelope(sender, list, attrs));
            reply("250 2.0.0 Ok: queued as " + id);
        } catch (IOException e) {
            reply("451 4.3.0 Error: cannot write to the maildrop");
        }
        reset();
    }

    private void reset() {
        sender = null;
        rcpts.clear();
        mailParams.clear();
    }

    private static String word(String line) {
        int sp = line.indexOf(' ');
        return sp < 0 ? line : line.substring(0, sp);
    }

    /** One command line without its line end; null at the end of input. Overlong lines are cut, not held. */
    private String readCommand() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') break;
            if (b.size() <= LINE_LIMIT) b.write(c);
        }
        if (!any) return null;
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private void reply(String text) {
        out.print(text + "\r\n");
        out.flush();
    }
}
