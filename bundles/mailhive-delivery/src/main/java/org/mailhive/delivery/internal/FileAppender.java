package org.mailhive.delivery.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;

/**
 * Appends one message to a file the way local(8) does for a {@code /path} alias: a From_ line,
 * the message with LF line endings and mboxrd quoting ({@code ^>*From } gets one more '>'), then
 * an empty line. Other writers (mail readers, procmail, another Mailhive) are kept out by both
 * conventions at once: the dotlock {@code <file>.lock} and an fcntl lock on the file. The append
 * is made durable before success is reported, and a failed append is cut off again, so the file
 * never holds half a message that a reader would take for a whole one.
 */
final class FileAppender {

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.US);
    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);
    /** A dotlock older than this belongs to a writer that died (Postfix's stale_lock_time is 500s). */
    private static final Duration STALE_LOCK = Duration.ofSeconds(500);
    private static final long RETRY_MILLIS = 50;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Duration lockWait;
    private final ZoneId zone;

    FileAppender(Duration lockWait, ZoneId zone) {
        this.lockWait = lockWait;
        this.zone = zone;
    }

    /** Thrown when another writer holds the file longer than the bounded wait: worth a retry later. */
    static final class LockTimeoutException extends IOException {
        LockTimeoutException(String message) {
            super(message);
        }
    }

    /** {@code From sender asctime}; MAILER-DAEMON stands for the null sender, as in every mbox. */
    byte[] fromLine(MailAddress sender, Instant when) {
        String who = sender.isNullSender() ? "MAILER-DAEMON" : sender.toString().replace(' ', '_');
        return ("From " + who + " " + ASCTIME.format(LocalDateTime.ofInstant(when, zone)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    void append(Path file, MailAddress sender, MessageContent content, Instant when) throws IOException {
        Path dotlock = file.resolveSibling(file.getFileName() + ".lock");
        long deadline = System.nanoTime() + lockWait.toNanos();
        takeDotlock(dotlock, deadline);
        // a symbolic link planted where the file should be would redirect mail anywhere we may write
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
            FileLock lock = takeFileLock(ch, file, deadline);
            try {
                long start = ch.size();
                try {
                    ch.position(start);
                    write(ch, sender, content, when, start);
                    ch.force(true);
                } catch (IOException | RuntimeException e) {
                    ch.truncate(start);
                    ch.force(true);
                    throw e;
                }
            } finally {
                lock.release();
            }
        } finally {
            Files.deleteIfExists(dotlock);
        }
    }

    /**
     * What the child runs: the empty line a From_ line needs after a message without one, then
     * the message, then an fsync. Reading the file's end is the child's job too: as root, a FIFO
     * or device planted there by the user would be opened with root's rights.
     */
    private static final String APPEND_AS_USER = "umask 077"
            + " && t=$(tail -c 2 -- \"$1\" 2>/dev/null | od -An -tx1 | tr -d ' \\n')"
            + " && { [ ! -s \"$1\" ] || [ \"$t\" = 0a0a ] || printf '\\n'; } >> \"$1\""
            + " && cat >> \"$1\" && exec sync -- \"$1\"";

    /**
     * Appends as another account: a child process switched to it by {@code setpriv} (the words in
     * {@code switchPrefix}) opens the file, so the user's own permissions decide what may be written,
     * as Postfix's local(8) writes a .forward's /file as its owner; Java cannot change its uid for
     * one write. The child appends what this process formats and fsyncs the file; the dotlock keeps
     * other writers out (the child holds no fcntl lock). A child that does not finish in time is
     * killed. A failure after part of the message was written cannot be cut off from here: it is
     * reported, and the retry appends the whole message again.
     */
    void appendAs(List<String> switchPrefix, Path file, MailAddress sender, MessageContent content, Instant when)
            throws IOException {
        Path dotlock = file.resolveSibling(file.getFileName() + ".lock");
        takeDotlock(dotlock, System.nanoTime() + lockWait.toNanos());
        try {
            List<String> argv = new ArrayList<>(switchPrefix);
            argv.addAll(List.of("/bin/sh", "-c", APPEND_AS_USER, "sh", file.toString()));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            // a FIFO at the path would block the child, and our writes to it, for ever
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(p::destroyForcibly,
                    CompletableFuture.delayedExecutor(lockWait.toMillis() + 60_000, TimeUnit.MILLISECONDS));
            try {
                IOException failed = null;
                try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 64 * 1024)) {
                    write(out, false, sender, content, when);
                } catch (IOException e) {
                    failed = e;
                }
                String said;
                try (InputStream err = p.getInputStream()) {
                    said = new String(err.readNBytes(4096), StandardCharsets.UTF_8).strip();
                }
                int status = waitFor(p);
                if (status != 0) {
                    throw new IOException("writing as the file's user failed (exit " + status + "): " + said);
                }
                if (failed != null) throw failed;
            } finally {
                watchdog.cancel(false);
            }
        } finally {
            Files.deleteIfExists(dotlock);
        }
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing as the file's user");
        }
    }

    private void write(FileChannel ch, MailAddress sender, MessageContent content, Instant when, long start)
            throws IOException {
        // not closed: closing it would close the channel that still has to be forced and unlocked
        write(Channels.newOutputStream(ch), start > 0 && !endsWithBlankLine(ch, start), sender, content, when);
    }

    private void write(OutputStream out, boolean separate, MailAddress sender, MessageContent content, Instant when)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n = 0;
        if (separate) buf[n++] = '\n';
        byte[] from = fromLine(sender, when);
        System.arraycopy(from, 0, buf, n, from.length);
        n += from.length;
        boolean lineStart = true;
        int last = '\n';
        try (InputStream in = new BufferedInputStream(new CrlfToLfInputStream(content.openStream()), 64 * 1024)) {
            int b;
            while ((b = in.read()) >= 0) {
                if (lineStart && (b == '>' || b == 'F') && quoteNeeded(in, b)) buf[n++] = '>';
                buf[n++] = (byte) b;
                lineStart = b == '\n';
                last = b;
                if (n >= buf.length - 2) {
                    out.write(buf, 0, n);
                    n = 0;
                }
            }
        }
        if (last != '\n') buf[n++] = '\n';
        buf[n++] = '\n';
        out.write(buf, 0, n);
        out.flush();
    }

    /** Whether the line starting with {@code first} (already read) is {@code >*From }, peeking only. */
    private static boolean quoteNeeded(InputStream in, int first) throws IOException {
        in.mark(1024);
        try {
            int c = first;
            int seen = 0;
            while (c == '>' && seen < 1000) {
                c = in.read();
                seen++;
            }
            if (c != 'F') return false;
            for (int i = 1; i < FROM.length; i++) {
                if (in.read() != FROM[i]) return false;
            }
            return true;
        } finally {
            in.reset();
        }
    }

    /** A file not ending in an empty line would glue our From_ line onto the previous message's body. */
    private static boolean endsWithBlankLine(FileChannel ch, long size) throws IOException {
        int want = (int) Math.min(2, size);
        ByteBuffer tail = ByteBuffer.allocate(want);
        ch.read(tail, size - want);
        byte[] t = tail.array();
        return want == 2 ? t[0] == '\n' && t[1] == '\n' : false;
    }

    private void takeDotlock(Path dotlock, long deadline) throws IOException {
        while (true) {
            try {
                Files.createFile(dotlock, OWNER_ONLY);
                return;
            } catch (FileAlreadyExistsException e) {
                breakIfStale(dotlock);
            }
            pause(deadline, dotlock + " is held by another writer");
        }
    }

    private static void breakIfStale(Path dotlock) {
        try {
            FileTime age = Files.getLastModifiedTime(dotlock);
            if (age.toInstant().isBefore(Instant.now().minus(STALE_LOCK))) Files.deleteIfExists(dotlock);
        } catch (IOException e) {
            // gone meanwhile, or unreadable: the next createFile attempt tells
        }
    }

    private FileLock takeFileLock(FileChannel ch, Path file, long deadline) throws IOException {
        while (true) {
            try {
                FileLock lock = ch.tryLock();
                if (lock != null) return lock;
            } catch (OverlappingFileLockException e) {
                // another delivery thread of this JVM holds it (possible only after a stale dotlock was broken)
            }
            pause(deadline, file + " is locked by another writer");
        }
    }

    private static void pause(long deadline, String why) throws IOException {
        if (System.nanoTime() - deadline >= 0) throw new LockTimeoutException(why);
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("interrupted while waiting: " + why);
        }
    }
}
