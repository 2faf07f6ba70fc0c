package org.mailhive.delivery.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.users.MailUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's mailbox_command: the message goes into {@code /bin/sh -c <command>} on standard
 * input, and the exit status decides (sysexits.h): 0 delivered, EX_TEMPFAIL (75) and EX_OSERR
 * (71) deferred, a signal deferred, anything else bounced with the command's output. Standard
 * input is fed and the output drained on their own threads, so neither a command that never
 * reads nor one that writes a lot can stall delivery beyond command_time_limit.
 */
final class MailboxCommand {

    private static final Logger LOG = LoggerFactory.getLogger("mail.local");

    static final EnhancedStatus TEMPFAIL = EnhancedStatus.of(4, 3, 0);
    static final EnhancedStatus PERMFAIL = EnhancedStatus.of(5, 3, 0);
    static final int EX_OSERR = 71;
    static final int EX_TEMPFAIL = 75;
    /** Output kept for the bounce reason; the rest is read and dropped. */
    private static final int OUTPUT_KEPT = 1024;
    private static final int REASON_CHARS = 200;
    /** How long to wait for the I/O threads once the command has gone. */
    private static final long DRAIN_MILLIS = 5_000;
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    private final String command;
    private final Duration timeLimit;
    private final String relay;

    MailboxCommand(String command, Duration timeLimit, String relay) {
        this.command = command;
        this.timeLimit = timeLimit;
        this.relay = relay;
    }

    /** What the command learns about the delivery, as Postfix local(8) sets it; HOME is "/" for a user without one. */
    static Map<String, String> environment(MailUser user, MailAddress sender, MailAddress rcpt, String original) {
        String home = user.home() == null || user.home().isEmpty() ? "/" : user.home();
        return Map.of("HOME", home, "USER", user.name(), "LOGNAME", user.name(),
                "SHELL", user.field("shell", "/bin/sh"), "SENDER", sender.isNullSender() ? "" : sender.toString(),
                "RECIPIENT", rcpt.toString(), "LOCAL", rcpt.localPart(), "DOMAIN", rcpt.domain(),
                "EXTENSION", "", "ORIGINAL_RECIPIENT", original);
    }

    RecipientResult deliver(String queueId, MailAddress rcpt, Map<String, String> env, List<String> prefix,
            MessageContent content) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("/bin/sh", "-c", command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        // a clean environment, as Postfix: nothing of the server's own leaks into the user's MDA
        Map<String, String> penv = pb.environment();
        String tz = penv.get("TZ");
        String lang = penv.get("LANG");
        penv.clear();
        penv.put("PATH", PATH);
        if (tz != null) penv.put("TZ", tz);
        if (lang != null) penv.put("LANG", lang);
        penv.putAll(env);
        File home = new File(env.getOrDefault("HOME", "/"));
        pb.directory(home.isDirectory() ? home : new File("/"));

        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            LOG.warn("{}: to={}, cannot run mailbox_command {}: {}", queueId, rcpt.toPath(), command, e.toString());
            return RecipientResult.deferred(rcpt, TEMPFAIL, relay, "cannot run command: " + command + ": "
                    + e.getMessage());
        }
        Feeder feeder = new Feeder(content, process);
        Drain drain = new Drain(process.getInputStream());
        Thread feedThread = start(feeder, "mailbox-command-in");
        Thread drainThread = start(drain, "mailbox-command-out");
        boolean finished;
        try {
            finished = process.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return RecipientResult.deferred(rcpt, TEMPFAIL, relay, "delivery interrupted");
        }
        if (!finished) kill(process);
        join(feedThread);
        join(drainThread);
        if (!finished) {
            LOG.warn("{}: to={}, mailbox_command killed after {}s: {}", queueId, rcpt.toPath(),
                    timeLimit.toSeconds(), command);
            return RecipientResult.deferred(rcpt, TEMPFAIL, relay,
                    "command timeout (command_time_limit " + timeLimit.toSeconds() + "s): " + command);
        }
        IOException sourceError = feeder.sourceError;
        if (sourceError != null) {
            // the command saw a cut-off message; whatever it said, this copy does not count
            return RecipientResult.deferred(rcpt, TEMPFAIL, relay, "cannot read queued message: "
                    + sourceError.getMessage());
        }
        int status = process.exitValue();
        String output = drain.text();
        if (status == 0) return RecipientResult.sent(rcpt, relay, "delivered to command: " + command);
        String why = describe(status) + ": " + command + (output.isEmpty() ? "" : ". Command output: " + output);
        if (status == EX_TEMPFAIL || status == EX_OSERR || bySignal(status)) {
            return RecipientResult.deferred(rcpt, TEMPFAIL, relay, why);
        }
        return RecipientResult.bounced(rcpt, PERMFAIL, relay, why);
    }

    /** Java reports death by signal N as 128+N, as a shell does for its children. */
    private static boolean bySignal(int status) {
        return status > 128 && status <= 128 + 64;
    }

    private static String describe(int status) {
        return bySignal(status) ? "command died with signal " + (status - 128) : "command died with status " + status;
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Children first: once sh is gone they are no longer its descendants and would keep the pipes open. */
    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A grandchild that escaped (setsid, double fork) may still hold the pipe: stop waiting after
     * a while; the daemon thread ends when the pipe finally closes.
     */
    private static void join(Thread t) {
        try {
            t.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Streams the message into the command; a command that stops reading is not an error of ours. */
    private static final class Feeder implements Runnable {
        private final MessageContent content;
        private final Process process;
        volatile IOException sourceError;

        Feeder(MessageContent content, Process process) {
            this.content = content;
            this.process = process;
        }

        @Override
        public void run() {
            OutputStream out = process.getOutputStream();
            InputStream in = null;
            try {
                in = new CrlfToLfInputStream(content.openStream());
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = read(in, buf)) > 0) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                if (in == null) failed(e);
                // else a broken pipe: the command stopped reading; its exit status says whether that was fine
            } finally {
                closeQuietly(in);
                closeQuietly(out);
            }
        }

        /** Reads the queued message; a failure here means the command got a truncated copy. */
        private int read(InputStream in, byte[] buf) {
            try {
                return in.read(buf);
            } catch (IOException e) {
                failed(e);
                return -1;
            }
        }

        private void failed(IOException e) {
            sourceError = e;
            process.destroyForcibly();
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c == null) return;
            try {
                c.close();
            } catch (Exception e) {
                // a pipe the command already closed, or a queue file we only read
            }
        }
    }

    /** Reads stdout and stderr (merged) to the end, keeping only the start. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (kept) {
                        int room = OUTPUT_KEPT - kept.size();
                        if (room > 0) kept.write(buf, 0, Math.min(room, n));
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read is all there is
            }
        }

        /** The first characters of the output on one line, for the log and the bounce. */
        String text() {
            String s;
            synchronized (kept) {
                s = kept.toString(StandardCharsets.UTF_8);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length() && sb.length() < REASON_CHARS; i++) {
                char c = s.charAt(i);
                sb.append(Character.isISOControl(c) ? ' ' : c);
            }
            return sb.toString().trim();
        }
    }
}
