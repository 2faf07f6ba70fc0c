package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The shipped mta, submission and smtps listeners over real sockets: STARTTLS, implicit TLS,
 * AUTH, the relay torture list from outside mynetworks, and a mynetworks edit taking effect live.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SmtpSecurityIT {

    private static final String PLAIN_ALICE = Base64.getEncoder()
            .encodeToString("\0alice@localhost\0secret1".getBytes(StandardCharsets.UTF_8));
    private static final String PLAIN_WRONG = Base64.getEncoder()
            .encodeToString("\0alice@localhost\0wrong".getBytes(StandardCharsets.UTF_8));

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("security");
    }

    private int port(String listener) throws Exception {
        return MailhiveOptions.listenerPort(context, listener);
    }

    /** Trusts exactly the certificate the server generated on first start. */
    private SSLContext trustServer() throws Exception {
        Path crt = Paths.get(context.getProperty("mailhive.data"), "tls", "server.crt");
        Await.until("self-signed certificate at " + crt, () -> Files.isRegularFile(crt));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(crt)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("server" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    public void mtaAdvertisesTheEsmtpExtensions() throws Exception {
        try (SmtpClient c = SmtpClient.connect(port("mta"))) {
            assertTrue(c.readReply().startsWith("220 "));
            String ehlo = c.command("EHLO itest.example");
            for (String k : List.of("PIPELINING", "SIZE", "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS", "SMTPUTF8",
                    "CHUNKING", "DSN")) {
                assertTrue(k + " in " + ehlo, ehlo.matches("(?s).*\\n250[- ]" + k + "\\b.*"));
            }
            assertTrue(c.command("VRFY alice@localhost").startsWith("252 "));
        }
    }

    @Test
    public void submissionNeedsTlsThenAuthAndThenRelays() throws Exception {
        try (SmtpClient c = SmtpClient.connect(port("submission"))) {
            assertTrue(c.readReply().startsWith("220 "));
            String ehlo = c.command("EHLO laptop.example");
            assertTrue(ehlo, ehlo.contains("STARTTLS"));
            assertFalse("no AUTH before TLS: " + ehlo, ehlo.contains("AUTH"));
            assertTrue(c.command("MAIL FROM:<alice@localhost>").startsWith("530 5.7.0"));
            assertTrue(c.command("STARTTLS").startsWith("220 "));
            c.upgrade(trustServer());
            assertTrue(c.tlsProtocol(), c.tlsProtocol().equals("TLSv1.3") || c.tlsProtocol().equals("TLSv1.2"));
            ehlo = c.command("EHLO laptop.example");
            assertTrue(ehlo, ehlo.matches("(?s).*\\n250[- ]AUTH\\b[^\\n]*PLAIN.*"));
            assertFalse("STARTTLS again inside TLS: " + ehlo, ehlo.contains("STARTTLS"));
            assertTrue(c.command("MAIL FROM:<alice@localhost>").startsWith("530 5.7.0"));
            assertTrue(c.command("AUTH PLAIN " + PLAIN_WRONG).startsWith("535 5.7.8"));
            assertTrue(c.command("AUTH PLAIN " + PLAIN_ALICE).startsWith("235 2.7.0"));
            assertTrue(c.command("MAIL FROM:<alice@localhost>").startsWith("250 "));
            assertTrue(c.command("RCPT TO:<friend@remote.test>").startsWith("250 "));
            assertTrue(c.command("DATA").startsWith("354 "));
            String queued = c.command("Subject: relayed after AUTH\r\n\r\nhello\r\n.");
            assertTrue(queued, queued.startsWith("250 2.0.0"));
            String id = queued.substring(queued.lastIndexOf(' ') + 1);
            // the queue's entry file: the envelope, up to its "end" line, then the message
            String entry = new String(Files.readAllBytes(queuedFile(id, "entry")), StandardCharsets.UTF_8);
            int end = entry.indexOf("\nend\n") + "\nend\n".length();
            String envelope = entry.substring(0, end);
            String text = entry.substring(end);
            assertTrue(text, text.startsWith("Received: "));
            assertTrue(text, text.contains("with ESMTPSA id " + id));
            assertTrue(text, text.contains("(using TLSv1."));
            assertTrue(envelope, envelope.contains("sender=alice"));
        }
    }

    /** The message's file in whichever queue it sits now (no smtp transport yet: it stays queued). */
    private Path queuedFile(String id, String file) throws Exception {
        Path queue = Paths.get(context.getProperty("mailhive.data"), "queue");
        Path[] found = new Path[1];
        Await.until("queue file of " + id, () -> {
            for (String q : List.of("incoming", "active", "deferred", "hold")) {
                Path p = queue.resolve(q).resolve(id).resolve(file);
                if (Files.isRegularFile(p)) {
                    found[0] = p;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    public void smtpsSpeaksTlsFromTheFirstByte() throws Exception {
        try (SmtpClient c = SmtpClient.connectTls(port("smtps"), trustServer())) {
            assertTrue(c.readReply().startsWith("220 "));
            String ehlo = c.command("EHLO laptop.example");
            assertFalse(ehlo, ehlo.contains("STARTTLS"));
            assertTrue(c.command("AUTH PLAIN " + PLAIN_ALICE).startsWith("235 "));
        }
    }

    @Test
    public void plaintextPipelinedBehindStartTlsIsDiscarded() throws Exception {
        try (SmtpClient c = SmtpClient.connect(port("mta"))) {
            c.readReply();
            c.command("EHLO attacker.example");
            c.send("STARTTLS\r\nMAIL FROM:<injected@remote.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(c.readReply().startsWith("220 "));
            c.upgrade(trustServer());
            // had the injected MAIL survived the handshake, its 250 would come before the EHLO reply,
            // or the next MAIL would be "nested"
            assertTrue(c.command("EHLO attacker.example").startsWith("250-"));
            assertTrue(c.command("MAIL FROM:<real@remote.test>").startsWith("250 "));
        }
    }

    @Test
    public void neverAnOpenRelayAndMynetworksEditsApplyLive() throws Exception {
        int mta = port("mta");
        Path coreCfg = Paths.get(context.getProperty("mailhive.config"), "org.mailhive.core.cfg");
        // 127.0.0.5 is inside the shipped 127.0.0.0/8; narrow mynetworks while the server runs
        CfgFiles.set(coreCfg, "mynetworks", "127.0.0.1/32");
        Await.until("mynetworks 127.0.0.1/32 in force", () -> rcptFrom(mta, "127.0.0.5", "<probe@remote.test>")
                .startsWith("554 5.7.1"));
        List<String> forms = List.of("<victim@remote.test>", "<victim%remote.test@localhost>",
                "<\"victim@remote.test\"@localhost>", "<@localhost:victim@remote.test>",
                "<remote.test!victim@localhost>", "<victim@remote.test.>");
        for (String rcpt : forms) {
            String reply = rcptFrom(mta, "127.0.0.5", rcpt);
            assertTrue(rcpt + " got " + reply, reply.startsWith("4") || reply.startsWith("5"));
        }
        // and from inside mynetworks the same remote recipient is fine
        assertTrue(rcptFrom(mta, "127.0.0.1", "<victim@remote.test>").startsWith("250 "));
        CfgFiles.set(coreCfg, "mynetworks", "127.0.0.0/8, [::1]/128");
        Await.until("mynetworks restored", () -> rcptFrom(mta, "127.0.0.5", "<probe@remote.test>")
                .startsWith("250 "));
        try (Stream<Path> queued = Files.walk(Paths.get(context.getProperty("mailhive.data"), "queue"))) {
            // envelopes: in entry files, and those written apart once a message was deferred
            List<Path> envelopes = queued.filter(p -> p.getFileName().toString().equals("envelope")
                            || p.getFileName().toString().equals("entry"))
                    .collect(Collectors.toList());
            for (Path e : envelopes) {
                assertFalse(e.toString(), new String(Files.readAllBytes(e), StandardCharsets.UTF_8).contains("victim"));
            }
        }
    }

    private static String rcptFrom(int port, String from, String rcpt) {
        try (SmtpClient c = SmtpClient.connect(port, from)) {
            c.readReply();
            c.command("EHLO outsider.example");
            c.command("MAIL FROM:<spammer@outside.example>");
            return c.command("RCPT TO:" + rcpt);
        } catch (Exception e) {
            return "error: " + e;
        }
    }
}
