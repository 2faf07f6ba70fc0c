package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
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

/** The distribution's bundles in Felix: all start, and SMTP mail reaches a Maildir unchanged. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailPathIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("mailpath");
    }

    private int smtpPort() throws Exception {
        int port = Integer.parseInt(context.getProperty(MailhiveOptions.PORT_PROPERTY));
        Await.until("SMTP greeting on port " + port, () -> SmtpClient.greets(port));
        return port;
    }

    /** What the distribution must contain; a missing jar would otherwise pass as "all active". */
    private static final List<String> EXPECTED = List.of("org.mailhive.api", "org.mailhive.logging",
            "org.mailhive.core", "org.mailhive.net", "org.mailhive.users", "org.mailhive.rewrite", "org.mailhive.policy",
            "org.mailhive.smtp", "org.mailhive.cleanup", "org.mailhive.queue", "org.mailhive.store.maildir", "org.mailhive.store.mbox", "org.mailhive.pop3", "org.mailhive.smtp.client", "org.mailhive.bounce", "org.mailhive.aliases", "org.mailhive.admin",
            "org.mailhive.delivery", "org.mailhive.tls", "org.mailhive.dns", "org.apache.felix.scr", "org.apache.felix.configadmin",
            "org.apache.felix.fileinstall", "org.apache.mina.core", "slf4j.api",
            "org.apache.aries.spifly.dynamic.bundle");

    @Test
    public void everyBundleIsActive() throws Exception {
        List<String> installed = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName)
                .collect(Collectors.toList());
        for (String bsn : EXPECTED) {
            assertTrue(bsn + " installed, have " + installed, installed.contains(bsn));
        }
        try {
            Await.until("all bundles ACTIVE", () -> notActive().isEmpty());
        } finally {
            // names the laggards, whether or not the wait timed out
            assertEquals("bundles not ACTIVE", List.of(), notActive());
        }
    }

    @Test
    public void operatorCommandsAreInTheConsole() throws Exception {
        java.util.Set<String> functions = new java.util.TreeSet<>();
        Await.until("mailhive console commands registered", () -> {
            functions.clear();
            for (org.osgi.framework.ServiceReference<?> ref : context.getServiceReferences((String) null,
                    "(osgi.command.scope=mailhive)")) {
                Object f = ref.getProperty("osgi.command.function");
                if (f instanceof String[] names) functions.addAll(Arrays.asList(names));
                if (f instanceof String name) functions.add(name);
            }
            return functions.containsAll(List.of("queue", "mailq", "config", "check", "reload", "pw", "user"));
        });
    }

    private List<String> notActive() {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")")
                .collect(Collectors.toList());
    }

    @Test
    public void messageLandsInMaildirByteForByte() throws Exception {
        int port = smtpPort();
        String token = "itest-" + System.nanoTime();
        List<String> body = List.of("Hello Alice,", ".a line that starts with a dot", "", "..two dots", "last line " + token);
        List<String> headers = List.of("From: Bob <bob@localhost>", "To: Alice <alice@localhost>",
                "Subject: " + token);

        try (SmtpClient smtp = SmtpClient.connect(port)) {
            assertCode(220, smtp.readReply());
            assertCode(250, smtp.command("EHLO client.localhost"));
            assertCode(250, smtp.command("MAIL FROM:<bob@localhost>"));
            assertCode(250, smtp.command("RCPT TO:<alice@localhost>"));
            assertCode(354, smtp.command("DATA"));
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (String line : headers) {
                wire.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            for (String line : body) {
                String stuffed = line.startsWith(".") ? "." + line : line;
                wire.writeBytes((stuffed + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            wire.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
            smtp.send(wire.toByteArray());
            assertCode(250, smtp.readReply());
            assertCode(221, smtp.command("QUIT"));
        }

        Path newDir = Paths.get(context.getProperty("mailhive.data"), "mail", "localhost", "alice", "Maildir", "new");
        Await.until("a message in " + newDir, () -> !files(newDir).isEmpty());
        List<Path> delivered = files(newDir);
        assertEquals("messages in " + newDir, 1, delivered.size());
        byte[] onDisk = Files.readAllBytes(delivered.get(0));
        String text = new String(onDisk, StandardCharsets.US_ASCII);

        assertFalse("Maildir files use LF line endings", text.indexOf('\r') >= 0);
        int split = text.indexOf("\n\n");
        assertTrue("a header section ends with an empty line", split > 0);
        List<String> headerLines = Arrays.asList(text.substring(0, split).split("\n"));
        assertTrue("a Received: header in " + headerLines,
                headerLines.stream().anyMatch(h -> h.startsWith("Received:")));
        for (String header : headers) {
            assertTrue("header kept: " + header + " in " + headerLines, headerLines.contains(header));
        }
        String expectedBody = String.join("\n", body) + "\n";
        assertEquals("body byte for byte", expectedBody, text.substring(split + 2));
    }

    @Test
    public void unknownLocalUserIsRejectedAtRcpt() throws Exception {
        int port = smtpPort();
        try (SmtpClient smtp = SmtpClient.connect(port)) {
            assertCode(220, smtp.readReply());
            assertCode(250, smtp.command("EHLO client.localhost"));
            assertCode(250, smtp.command("MAIL FROM:<bob@localhost>"));
            String reply = smtp.command("RCPT TO:<nobody@localhost>");
            assertTrue("550 5.1.1 for an unknown local user, got: " + reply,
                    reply.matches("(?s)550[ -]5\\.1\\.1.*"));
            assertCode(221, smtp.command("QUIT"));
        }
    }

    private static void assertCode(int code, String reply) {
        assertTrue("expected " + code + ", got: " + reply, reply.startsWith(code + " ") || reply.startsWith(code + "-"));
        assertTrue("final line of a " + code + " reply: " + reply,
                reply.substring(reply.lastIndexOf('\n') + 1).startsWith(code + " "));
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }
}
