package org.mailhive.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
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
 * Mailboxes in the running server: POP3 returns what SMTP delivered, a stopped store bundle makes
 * delivery wait (never drop), and a mail_location edit moves the next delivery to mbox.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoresPop3IT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("stores");
    }

    private int port(String listener) throws Exception {
        return MailhiveOptions.listenerPort(context, listener);
    }

    private Path data() {
        return Paths.get(context.getProperty("mailhive.data"));
    }

    private Path configDir() {
        return Paths.get(context.getProperty("mailhive.config"));
    }

    private String send(String subject) throws Exception {
        try (SmtpClient c = SmtpClient.connect(port("mta"))) {
            assertTrue(c.readReply().startsWith("220 "));
            c.command("EHLO itest.example");
            assertTrue(c.command("MAIL FROM:<bob@localhost>").startsWith("250 "));
            assertTrue(c.command("RCPT TO:<alice@localhost>").startsWith("250 "));
            assertTrue(c.command("DATA").startsWith("354 "));
            String r = c.command("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n..dot\r\n.");
            assertTrue(r, r.startsWith("250 2.0.0"));
            return r.substring(r.lastIndexOf(' ') + 1);
        }
    }

    private List<Path> maildirNew() throws Exception {
        Path dir = data().resolve("mail/localhost/alice/Maildir/new");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    private Path findIn(List<Path> files, String token) throws Exception {
        for (Path p : files) {
            if (new String(Files.readAllBytes(p), StandardCharsets.UTF_8).contains(token)) return p;
        }
        return null;
    }

    @Test
    public void pop3ReturnsTheDeliveredMessageAndDeletesOnQuit() throws Exception {
        send("pop3-token");
        Path[] file = new Path[1];
        Await.until("delivered to the Maildir", () -> (file[0] = findIn(maildirNew(), "pop3-token")) != null);
        byte[] onDisk = Files.readAllBytes(file[0]);
        try (Pop3Client c = Pop3Client.connect(port("pop3"))) {
            assertTrue(c.line().startsWith("+OK"));
            assertTrue(c.command("USER alice@localhost").startsWith("+OK"));
            assertTrue(c.command("PASS secret1").startsWith("+OK"));
            String stat = c.command("STAT");
            assertTrue(stat, stat.startsWith("+OK "));
            int n = Integer.parseInt(stat.split(" ")[1]);
            int which = -1;
            byte[] retrieved = null;
            for (int i = 1; i <= n && which < 0; i++) {
                assertTrue(c.command("RETR " + i).startsWith("+OK"));
                byte[] msg = c.multiline();
                if (new String(msg, StandardCharsets.UTF_8).contains("pop3-token")) {
                    which = i;
                    retrieved = msg;
                }
            }
            assertTrue("message found over POP3", which > 0);
            // the Maildir keeps LF; POP3 gives CRLF, byte for byte otherwise
            byte[] expected = new String(onDisk, StandardCharsets.ISO_8859_1).replace("\n", "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(expected, retrieved);
            assertTrue(c.command("DELE " + which).startsWith("+OK"));
            assertTrue(c.command("QUIT").startsWith("+OK"));
        }
        Await.until("deleted on QUIT", () -> !Files.exists(file[0]) && findIn(maildirNew(), "pop3-token") == null);
    }

    @Test
    public void stoppedStoreBundleDefersAndItsReturnDelivers() throws Exception {
        Bundle maildir = bundle("org.mailhive.store.maildir");
        maildir.stop();
        try {
            String id = send("swap-token");
            Await.until("message deferred, not dropped", () -> Files.isDirectory(data().resolve("queue/deferred")
                    .resolve(id)));
            String envelope = new String(Files.readAllBytes(data().resolve("queue/deferred").resolve(id)
                    .resolve("envelope")), StandardCharsets.UTF_8);
            assertTrue(envelope, envelope.contains("maildir"));
        } finally {
            maildir.start();
        }
        Await.until("delivered once the store is back", () -> findIn(maildirNew(), "swap-token") != null);
    }

    @Test
    public void mailLocationEditMovesTheNextDeliveryToMbox() throws Exception {
        Path spool = data().resolve("spool");
        Path deliveryCfg = configDir().resolve("org.mailhive.delivery.cfg");
        List<String> before = Files.readAllLines(deliveryCfg);
        CfgFiles.set(deliveryCfg, "mail_location", "mbox:" + data().resolve("mbox") + ":INBOX=" + spool + "/%n");
        try {
            // the first message may still race the reconfiguration; send until one lands in the spool
            Await.until("a delivery into the mbox spool", () -> {
                send("mbox-token");
                Path f = spool.resolve("alice");
                return Files.exists(f) && new String(Files.readAllBytes(f), StandardCharsets.UTF_8).contains("mbox-token");
            });
            String mbox = new String(Files.readAllBytes(spool.resolve("alice")), StandardCharsets.UTF_8);
            assertTrue(mbox, mbox.startsWith("From bob@localhost "));
            assertTrue(mbox, mbox.contains("\n..dot\n") || mbox.contains("\n.dot\n"));
        } finally {
            Files.write(deliveryCfg, before);
            // the next test expects Maildir again: wait until the restored file is in force
            Await.until("deliveries back in the Maildir", () -> {
                send("maildir-again");
                return findIn(maildirNew(), "maildir-again") != null;
            });
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) return b;
        }
        throw new AssertionError("no bundle " + bsn);
    }

}
