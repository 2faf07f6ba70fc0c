package org.mailhive.itest;

import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
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
import org.osgi.framework.BundleContext;

/**
 * A permanent failure comes back to the sender as an RFC 3464 report, through the real bundles:
 * aliases (a command that fails), local delivery, queue, bounce, cleanup, and the sender's Maildir.
 * Guards the wiring (the queue must find the bounce service without a DS cycle), not the DSN text.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BounceIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("bounce");
    }

    @Test
    public void permanentFailureIsReportedToTheSender() throws Exception {
        int port = Integer.parseInt(context.getProperty(MailhiveOptions.PORT_PROPERTY));
        Await.until("SMTP greeting", () -> SmtpClient.greets(port));
        Path aliases = Paths.get(context.getProperty("mailhive.config"), "aliases");
        Files.write(aliases, "failing: \"|echo refused by the test >&2; exit 1\"\n".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        String token = "bounce-token-" + System.nanoTime();
        // the alias file is re-read by the running server; RCPT is accepted once it is
        Await.until("alias accepted at RCPT", () -> {
            try (SmtpClient c = SmtpClient.connect(port)) {
                c.readReply();
                c.command("EHLO itest.example");
                c.command("MAIL FROM:<alice@localhost>");
                if (!c.command("RCPT TO:<failing@localhost>").startsWith("250 ")) return false;
                c.command("DATA");
                return c.command("Subject: " + token + "\r\n\r\nbody\r\n.").startsWith("250 ");
            }
        });
        Path inbox = Paths.get(context.getProperty("mailhive.data"), "mail/localhost/alice/Maildir/new");
        String[] dsn = new String[1];
        Await.until("a delivery status notification in alice's Maildir", () -> {
            if (!Files.isDirectory(inbox)) return false;
            try (Stream<Path> files = Files.list(inbox)) {
                for (Path p : files.collect(Collectors.toList())) {
                    String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                    if (text.contains("report-type=delivery-status") && text.contains(token)) {
                        dsn[0] = text;
                        return true;
                    }
                }
            }
            return false;
        });
        assertTrue(dsn[0], dsn[0].startsWith("Return-Path: <>"));
        for (String field : List.of("Final-Recipient: rfc822; failing@localhost", "Action: failed", "Status: 5.")) {
            assertTrue(field + " in\n" + dsn[0], dsn[0].contains(field));
        }
        assertTrue(dsn[0], dsn[0].contains("refused by the test"));
    }
}
