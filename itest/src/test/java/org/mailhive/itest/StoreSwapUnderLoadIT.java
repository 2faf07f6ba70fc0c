package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The mailbox format changes while mail is being delivered: mail_location goes from Maildir to
 * mbox in the middle of a stream of messages, and every message lands in exactly one of the two
 * stores, none lost, none twice. Then every store bundle is stopped: delivery waits, and starting
 * one delivers the backlog.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoreSwapUnderLoadIT {

    /** Messages before the swap, and at least as many after it. */
    private static final int MESSAGES = 200;
    private static final int SESSIONS = 4;
    private static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: (swap-\\d+|backlog-\\d+)\\r?$");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("swap");
    }

    private int port() throws Exception {
        int port = Integer.parseInt(context.getProperty(MailhiveOptions.PORT_PROPERTY));
        Await.until("mta listener on port " + port, () -> SmtpClient.accepts(port));
        return port;
    }

    private Path data() {
        return Paths.get(context.getProperty("mailhive.data"));
    }

    /** Sends the messages of one session; returns how many got 250. */
    private int sendAll(int port, List<String> subjects) throws Exception {
        int ok = 0;
        try (SmtpClient c = SmtpClient.connect(port)) {
            assertTrue(c.readReply().startsWith("220 "));
            c.command("EHLO itest.example");
            for (String s : subjects) {
                sendOne(c, s);
                ok++;
            }
            c.command("QUIT");
        }
        return ok;
    }

    private static void sendOne(SmtpClient c, String subject) throws Exception {
        assertTrue(c.command("MAIL FROM:<bob@localhost>").startsWith("250 "));
        assertTrue(c.command("RCPT TO:<alice@localhost>").startsWith("250 "));
        assertTrue(c.command("DATA").startsWith("354 "));
        String r = c.command("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n.");
        assertTrue(r, r.startsWith("250 "));
    }

    /** Sends numbered messages until told to stop; the numbers come from one counter shared by the sessions. */
    private void sendUntil(int port, AtomicInteger next, AtomicInteger accepted, AtomicBoolean stop) throws Exception {
        try (SmtpClient c = SmtpClient.connect(port)) {
            assertTrue(c.readReply().startsWith("220 "));
            c.command("EHLO itest.example");
            while (!stop.get()) {
                sendOne(c, "swap-" + next.getAndIncrement());
                accepted.incrementAndGet();
            }
            c.command("QUIT");
        }
    }

    /** Subject → how many copies, over the Maildir (new and cur) and the mbox spool file. */
    private Map<String, Integer> delivered(Path spool) throws Exception {
        Map<String, Integer> count = new HashMap<>();
        Path maildir = data().resolve("mail/localhost/alice/Maildir");
        for (String sub : List.of("new", "cur")) {
            Path d = maildir.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.toList()) countSubjects(Files.readString(p, StandardCharsets.UTF_8), count);
            }
        }
        if (Files.exists(spool)) countSubjects(Files.readString(spool, StandardCharsets.UTF_8), count);
        return count;
    }

    private static int countIn(Path mbox) throws Exception {
        Map<String, Integer> c = new HashMap<>();
        countSubjects(Files.readString(mbox, StandardCharsets.UTF_8), c);
        return c.size();
    }

    private static void countSubjects(String text, Map<String, Integer> count) {
        Matcher m = SUBJECT.matcher(text);
        while (m.find()) count.merge(m.group(1), 1, Integer::sum);
    }

    private long queued() throws Exception {
        long n = 0;
        for (String q : List.of("incoming", "active", "deferred")) {
            Path d = data().resolve("queue").resolve(q);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                n += s.count();
            }
        }
        return n;
    }

    @Test
    public void swapUnderLoadDeliversEachMessageToExactlyOneStoreAndStoppedStoresOnlyDelay() throws Exception {
        int port = port();
        Path spool = data().resolve("spool-swap");
        Path deliveryCfg = Paths.get(context.getProperty("mailhive.config")).resolve("org.mailhive.delivery.cfg");
        List<String> before = Files.readAllLines(deliveryCfg);
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        AtomicInteger accepted = new AtomicInteger();
        try {
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> sessions = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                sessions.add(pool.submit(() -> {
                    sendUntil(port, next, accepted, stop);
                    return null;
                }));
            }
            Path aliceSpool = spool.resolve("alice");
            try {
                Await.until("messages flowing into the Maildir", 60_000, () -> accepted.get() >= MESSAGES / 4);
                CfgFiles.set(deliveryCfg, "mail_location", "mbox:" + data().resolve("mbox-swap") + ":INBOX=" + spool
                        + "/%n");
                // keep the load on until the mbox has taken a good share of it
                Await.until("deliveries switched to mbox under load", 60_000,
                        () -> Files.exists(aliceSpool) && countIn(aliceSpool) >= MESSAGES / 4);
            } finally {
                stop.set(true);
            }
            for (Future<?> f : sessions) f.get();
            int total = accepted.get();
            assertEquals("every number sent once", total, next.get());
            Await.until("queue empty", 120_000, () -> queued() == 0);
            Map<String, Integer> count = delivered(aliceSpool);
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                Integer c = count.get("swap-" + i);
                if (c == null || c != 1) wrong.add("swap-" + i + "=" + c);
            }
            assertTrue(total + " messages, each exactly once over both stores; not so: " + wrong, wrong.isEmpty());
            assertEquals("nothing else delivered", total, count.values().stream().mapToInt(Integer::intValue).sum());

            // every store bundle stopped: mail waits in the queue, a started store delivers it
            Bundle maildir = bundle("org.mailhive.store.maildir");
            Bundle mbox = bundle("org.mailhive.store.mbox");
            maildir.stop();
            mbox.stop();
            try {
                List<String> backlog = new ArrayList<>();
                for (int i = 0; i < 20; i++) backlog.add("backlog-" + i);
                assertEquals(20, sendAll(port, backlog));
                Await.until("backlog waits in the queue", 30_000, () -> queued() == 20);
                assertEquals("nothing delivered without a store", 0,
                        delivered(spool.resolve("alice")).keySet().stream().filter(k -> k.startsWith("backlog")).count());
            } finally {
                mbox.start();
                maildir.start();
            }
            Await.until("backlog delivered once a store is back", 60_000, () -> queued() == 0);
            Map<String, Integer> after = delivered(spool.resolve("alice"));
            for (int i = 0; i < 20; i++) assertEquals("backlog-" + i, Integer.valueOf(1), after.get("backlog-" + i));
        } finally {
            pool.shutdownNow();
            Files.write(deliveryCfg, before);
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) return b;
        }
        throw new AssertionError("no bundle " + bsn);
    }
}
