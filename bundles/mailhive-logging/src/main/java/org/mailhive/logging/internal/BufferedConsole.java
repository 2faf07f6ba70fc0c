package org.mailhive.logging.internal;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard output for the console log, written in blocks: a line per write(2) was a tenth of the
 * server's CPU at a thousand messages a second. Lines wait at most {@link #FLUSH_MILLIS}; the
 * writer flushes a warning or an error at once, and the JVM's exit flushes what is left. The
 * mail log is written apart, a line at a time, and is the record; a kill -9 can cost the console
 * the lines of its last moment only.
 */
final class BufferedConsole {

    static final long FLUSH_MILLIS = 100;

    private static PrintStream shared;

    private BufferedConsole() {
    }

    /** One for the JVM, whichever loggers share it. */
    static synchronized PrintStream stdout() {
        if (shared == null) shared = open();
        return shared;
    }

    private static PrintStream open() {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 << 10),
                false, StandardCharsets.UTF_8);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailhive-log-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(out::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(out::flush, "mailhive-log-flush-at-exit"));
        return out;
    }
}
