package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.queue.QueueAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code bin/mailhive queue} while the queue manager runs: the command leaves
 * {@code requests/<n>.req} (one line of words) and waits for {@code requests/<n>.done}
 * ({@code exit N}, then the text). Files, not a socket: nothing to configure or secure beyond
 * the queue directory's own permissions.
 */
final class RequestServer {

    static final String REQUEST = ".req";
    static final String DONE = ".done";
    static final long POLL_MILLIS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(RequestServer.class);

    private final Path dir;
    private final QueueAdmin admin;
    private ScheduledExecutorService poller;

    RequestServer(Path dir, QueueAdmin admin) {
        this.dir = dir;
        this.admin = admin;
    }

    synchronized void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailhive-qmgr-requests");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (poller != null) poller.shutdownNow();
        poller = null;
    }

    /** Answers every waiting request; never throws, so the schedule keeps running. */
    void poll() {
        List<Path> requests = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + REQUEST)) {
            for (Path p : ds) requests.add(p);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read {}: {}", dir, e.toString());
            return;
        }
        for (Path p : requests) {
            try {
                answer(p);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot answer {}: {}", p, e.toString());
            }
        }
    }

    private void answer(Path request) throws IOException {
        String line;
        try {
            line = Files.readString(request, StandardCharsets.UTF_8).strip();
            Files.delete(request);
        } catch (NoSuchFileException e) {
            return;   // the command gave up and took it back
        }
        List<String> words = line.isEmpty() ? List.of() : Arrays.asList(line.split("\\s+"));
        QueueCommands.Answer a = QueueCommands.run(admin, words, ZoneId.systemDefault());
        LOG.info("queue request \"{}\": exit {}", line, a.exitCode());
        String name = request.getFileName().toString();
        String base = name.substring(0, name.length() - REQUEST.length());
        Path tmp = dir.resolve(base + ".tmp");
        Files.writeString(tmp, "exit " + a.exitCode() + "\n" + a.text(), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(base + DONE), StandardCopyOption.ATOMIC_MOVE);
    }
}
