package org.mailhive.logging.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * Writes the console log and the mail log. Mail log lines look like syslog lines of Postfix
 * ({@code Nov 24 05:13:52 host mailhive/smtpd[4242]: 3F2A9C1B: to=<...>, status=sent (...)}) so
 * fail2ban filters and pflogsumm-style tools read them. Lines are flushed, not fsync'd: the
 * log is a record, the queue is what must be durable.
 */
final class LogWriter {

    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter SYSLOG_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private final LogSettings settings;
    private final PrintStream console;
    private final long pid = ProcessHandle.current().pid();
    private OutputStream mailLog;
    private boolean mailLogFailed;

    LogWriter(LogSettings settings) {
        this(settings, System.out);
    }

    LogWriter(LogSettings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
    }

    void write(Level level, String logger, String message, Throwable error, boolean mailEvent) {
        LocalDateTime now = LocalDateTime.now();
        if (settings.console()) {
            StringBuilder sb = new StringBuilder(160);
            sb.append(CONSOLE_TIME.format(now)).append(' ').append(String.format("%-5s", level)).append(' ')
                    .append(logger).append(" - ").append(message);
            if (error != null) sb.append(System.lineSeparator()).append(stackTrace(error));
            console.println(sb);
        }
        if (mailEvent && settings.mailLog() != null) {
            String daemon = logger.substring("mail.".length());
            String line = SYSLOG_TIME.format(now) + ' ' + settings.hostname() + " mailhive/" + daemon + '[' + pid + "]: "
                    + (level.toInt() >= Level.WARN.toInt() ? level.name().toLowerCase(Locale.ROOT) + ": " : "")
                    + oneLine(message) + '\n';
            appendMailLog(line);
        }
    }

    private synchronized void appendMailLog(String line) {
        if (mailLogFailed) return;
        try {
            if (mailLog == null) {
                Files.createDirectories(settings.mailLog().getParent());
                mailLog = Files.newOutputStream(settings.mailLog(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            mailLog.write(line.getBytes(StandardCharsets.UTF_8));
            mailLog.flush();
        } catch (IOException e) {
            // the console still has every line; saying it once is enough
            mailLogFailed = true;
            console.println("mail log " + settings.mailLog() + " not writable: " + e.getMessage());
        }
    }

    /** Keeps one event on one line, whatever a client put into the text. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString().stripTrailing();
    }
}
