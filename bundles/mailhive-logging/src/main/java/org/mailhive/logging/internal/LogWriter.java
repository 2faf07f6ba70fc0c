package org.mailhive.logging.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.event.Level;

/**
 * Writes the console log and the mail log. Mail log lines look like syslog lines of Postfix
 * ({@code Nov 24 05:13:52 host mailhive/smtpd[4242]: 3F2A9C1B: to=<...>, status=sent (...)}) so
 * fail2ban filters and pflogsumm-style tools read them. Each line is one unbuffered write, not
 * fsync'd: the log is a record, the queue is what must be durable.
 *
 * <p>The mail log rotates by size ({@link LogSettings#rotateSize()}) under the same lock as the
 * writes, so a line lands whole in exactly one file. An external logrotate that moves or removes
 * the file is noticed within {@link #REOPEN_CHECK_NANOS} by comparing the path's file key (inode)
 * with the one opened.
 */
final class LogWriter {

    /** How often the path is compared with the open file: a stat per second costs nothing. */
    static final long REOPEN_CHECK_NANOS = 1_000_000_000L;
    /** After a failed rotation, how long appending goes on before the next attempt. */
    static final long ROTATE_RETRY_NANOS = 60_000_000_000L;

    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter SYSLOG_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private final LogSettings settings;
    private final PrintStream console;
    private final long pid = ProcessHandle.current().pid();
    private final LongSupplier clock;
    private FileChannel mailLog;
    /** The inode (file key) of the open mail log, null where the file system has none. */
    private Object openKey;
    private long nextCheck;
    /**
     * The mail log's length as of the last write of ours, re-read from the file at each check:
     * lines another process appended count from the next check on, and a line costs no stat.
     */
    private long mailLogSize;
    private long nextRotateAttempt;
    private boolean mailLogFailed;
    private boolean rotationFailureReported;

    LogWriter(LogSettings settings) {
        this(settings, BufferedConsole.stdout(), System::nanoTime);
    }

    LogWriter(LogSettings settings, PrintStream console) {
        this(settings, console, System::nanoTime);
    }

    LogWriter(LogSettings settings, PrintStream console, LongSupplier clock) {
        this.settings = settings;
        this.console = console;
        this.clock = clock;
        settings.problems().forEach(p -> console.println("logging: " + p));
        console.flush();
        this.nextRotateAttempt = clock.getAsLong();
    }

    void write(Level level, String logger, String message, Throwable error, boolean mailEvent) {
        LocalDateTime now = LocalDateTime.now();
        if (settings.console()) {
            StringBuilder sb = new StringBuilder(160);
            String name = level.name();
            sb.append(CONSOLE_TIME.format(now)).append(' ').append(name);
            for (int i = name.length(); i < 5; i++) sb.append(' ');
            sb.append(' ').append(logger).append(" - ").append(message);
            if (error != null) sb.append(System.lineSeparator()).append(stackTrace(error));
            console.println(sb);
            // a problem is shown at once; the rest waits for the console's next block (BufferedConsole)
            if (error != null || level.toInt() >= Level.WARN.toInt()) console.flush();
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
        Path path = settings.mailLog();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            long now = clock.getAsLong();
            if (mailLog != null && now - nextCheck >= 0) {
                nextCheck = now + REOPEN_CHECK_NANOS;
                if (movedAway(path)) closeMailLog();
                else mailLogSize = mailLog.size();
            }
            if (mailLog == null) open(path, now);
            if (wouldExceed(bytes.length, now)) {
                rotate(path, now);
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) mailLog.write(buf);
            mailLogSize += bytes.length;
        } catch (IOException e) {
            // the console still has every line; saying it once is enough
            mailLogFailed = true;
            closeMailLog();
            console.println("mail log " + path + " not writable: " + e.getMessage());
            console.flush();
        }
    }

    private void open(Path path, long now) throws IOException {
        Files.createDirectories(path.getParent());
        mailLog = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        openKey = fileKey(path);
        mailLogSize = mailLog.size();
        nextCheck = now + REOPEN_CHECK_NANOS;
    }

    /** True when the path no longer names the file this writer has open (logrotate moved or removed it). */
    private boolean movedAway(Path path) {
        try {
            Object key = fileKey(path);
            return openKey != null && !Objects.equals(openKey, key);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /**
     * A file holding nothing yet takes any line, so that one line longer than the limit cannot
     * rotate forever.
     */
    private boolean wouldExceed(int length, long now) {
        long limit = settings.rotateSize();
        if (limit <= 0 || now - nextRotateAttempt < 0) return false;
        long size = mailLogSize;
        return size > 0 && size + length > limit;
    }

    /** mail.log.(N-1) → mail.log.N … mail.log → mail.log.1, dropping what is beyond keep; then reopens. */
    private void rotate(Path path, long now) throws IOException {
        closeMailLog();
        int keep = settings.rotateKeep();
        try {
            // files beyond keep, left by an earlier, larger rotate_keep
            int extra = keep + 1;
            while (Files.deleteIfExists(numbered(path, extra))) extra++;
            if (keep == 0) {
                Files.deleteIfExists(path);
            } else {
                Files.deleteIfExists(numbered(path, keep));
                for (int i = keep - 1; i >= 1; i--) {
                    Path from = numbered(path, i);
                    if (Files.exists(from)) Files.move(from, numbered(path, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(path, numbered(path, 1), StandardCopyOption.REPLACE_EXISTING);
            }
            rotationFailureReported = false;
        } catch (IOException e) {
            nextRotateAttempt = now + ROTATE_RETRY_NANOS;
            if (!rotationFailureReported) {
                rotationFailureReported = true;
                console.println("mail log " + path + " could not be rotated, appending to it: " + e);
                console.flush();
            }
        }
        open(path, now);
    }

    private static Path numbered(Path path, int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private void closeMailLog() {
        if (mailLog == null) return;
        try {
            mailLog.close();
        } catch (IOException e) {
            // nothing buffered here: every line was written when it came
        }
        mailLog = null;
        openKey = null;
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
