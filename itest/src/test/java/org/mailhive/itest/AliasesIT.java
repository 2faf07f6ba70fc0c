package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * aliases(5) semantics seen from outside: mail goes in through the real SMTP listener and the
 * test looks where it lands (a Maildir, the queue's deferred/, a loopback next hop, a DSN to the
 * sender). One framework for the whole class, so the users, aliases and .forward files all cases
 * need are written once, before the first case.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AliasesIT {

    private static final String SENDER = "alice@localhost";

    /** Static: Pax Exam makes a new instance per case but keeps the class in one framework. */
    private static boolean prepared;
    private static SmtpSink sink;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("aliases");
    }

    @Before
    public void prepare() throws Exception {
        synchronized (AliasesIT.class) {
            if (prepared) return;
            sink = new SmtpSink();
            sink.acceptAll();
            CfgFiles.set(configDir().resolve("org.mailhive.smtp.client.cfg"), "relayhost",
                    "[127.0.0.1]:" + sink.port());

            Path homes = Files.createDirectories(configDir().resolveSibling("homes"));
            List<String> users = new ArrayList<>();
            for (String name : List.of("selfie", "tagged", "bsbox", "bsother", "fwdonly", "fwdtarget", "fwdkeep",
                    "keeptarget")) {
                Path home = Files.createDirectories(homes.resolve(name));
                users.add(name + "@localhost:{PLAIN}pw-" + name + "::::" + home + "::");
            }
            // a virtual user with no home: its home is the directory of its mailbox (default_home)
            users.add("vfwd@localhost:{PLAIN}pw-vfwd");
            Files.write(configDir().resolve("users"), users, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            forward(Files.createDirectories(data().resolve("mail/localhost/vfwd")), "fwdtarget\n");
            forward(homes.resolve("fwdonly"), "fwdtarget\n");
            // "\fwdkeep" keeps a copy in fwdkeep's own mailbox without consulting .forward again
            forward(homes.resolve("fwdkeep"), "\\fwdkeep, keeptarget\n");

            List<String> aliases = List.of(
                    "remote: faraway@remote.test",
                    // bsbox is also an alias, so only "\bsbox" (no further aliasing) reaches its Maildir
                    "bsalias: \\bsbox",
                    "bsbox: bsother",
                    "tempfail: \"|exit 75\"",
                    "selfie: selfie",
                    "loopa: loopb",
                    "loopb: loopa");
            Files.write(configDir().resolve("aliases"), aliases, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            prepared = true;
        }
    }

    @Test
    public void remoteForwardReachesTheNextHop() throws Exception {
        // the first delivery attempt must already see the relayhost: DS republishes the
        // transport's service properties once the edited configuration is in force
        String filter = "(&(mail.transport=smtp)(relayhost=[127.0.0.1]:" + sink.port() + "))";
        Await.until("relayhost in force", () -> context.getServiceReferences((String) null, filter) != null);
        String seq = token("remote");
        // closed here, not in @AfterClass: Pax Exam runs the class lifecycle around every case
        try (SmtpSink nextHop = sink) {
            send("remote@localhost", seq);
            Await.until("forwarded copy at the loopback next hop", () -> nextHop.received().containsKey(seq));
            assertEquals(Integer.valueOf(1), nextHop.received().get(seq));
        }
    }

    @Test
    public void backslashUserSkipsFurtherAliasing() throws Exception {
        String seq = token("backslash");
        send("bsalias@localhost", seq);
        Await.until("delivered to bsbox's own Maildir", () -> count("bsbox", seq) == 1);
        assertEquals("the bsbox alias must not apply to \\bsbox", 0, count("bsother", seq));
    }

    @Test
    public void forwardFileWithoutKeepCopyMovesTheMail() throws Exception {
        String seq = token("fwd-move");
        send("fwdonly@localhost", seq);
        Await.until("delivered to the .forward target", () -> count("fwdtarget", seq) == 1);
        assertEquals("no copy kept without \\fwdonly in .forward", 0, count("fwdonly", seq));
    }

    @Test
    public void aVirtualUsersForwardLivesBesideItsMailbox() throws Exception {
        String seq = token("fwd-virtual");
        send("vfwd@localhost", seq);
        Await.until("forwarded by DATA/mail/localhost/vfwd/.forward", () -> count("fwdtarget", seq) == 1);
        assertEquals(0, count("vfwd", seq));
    }

    @Test
    public void forwardFileWithKeepCopyDeliversBoth() throws Exception {
        String seq = token("fwd-keep");
        send("fwdkeep@localhost", seq);
        Await.until("delivered to the .forward target and kept",
                () -> count("keeptarget", seq) == 1 && count("fwdkeep", seq) == 1);
    }

    @Test
    public void pipeExitingWithTempfailDefers() throws Exception {
        String seq = token("tempfail");
        String id = send("tempfail@localhost", seq);
        Path deferred = data().resolve("queue/deferred").resolve(id);
        Await.until("message " + id + " in deferred/", () -> Files.isDirectory(deferred));
        assertEquals("EX_TEMPFAIL is not a bounce", null, findIn(maildir("alice"), seq));
    }

    @Test
    public void aliasToItselfDeliversToTheUserOnce() throws Exception {
        String seq = token("selfie");
        send("selfie@localhost", seq);
        Await.until("delivered to selfie's Maildir", () -> count("selfie", seq) >= 1);
        assertEquals(1, count("selfie", seq));
    }

    @Test
    public void detailAfterDelimiterDeliversToTheUser() throws Exception {
        String seq = token("tag");
        send("tagged+news@localhost", seq);
        Await.until("delivered to tagged's Maildir", () -> count("tagged", seq) == 1);
    }

    @Test
    public void twoAliasLoopIsBouncedToTheSender() throws Exception {
        String seq = token("loop");
        send("loopa@localhost", seq);
        String[] dsn = new String[1];
        Await.until("a delivery status notification in alice's Maildir", () -> {
            for (Path p : maildir("alice")) {
                String text = read(p);
                if (text.contains("report-type=delivery-status") && text.contains(seq)) {
                    dsn[0] = text;
                    return true;
                }
            }
            return false;
        });
        assertTrue(dsn[0], dsn[0].startsWith("Return-Path: <>"));
        for (String field : List.of("Final-Recipient: rfc822; loopa@localhost", "Action: failed", "Status: 5.")) {
            assertTrue(field + " in\n" + dsn[0], dsn[0].contains(field));
        }
    }

    /**
     * Submits one message and returns its queue id. Aliases are loaded by the running server
     * shortly after the file changes, so the transaction is repeated until RCPT is accepted.
     */
    private String send(String rcpt, String seq) throws Exception {
        int port = Integer.parseInt(context.getProperty(MailhiveOptions.PORT_PROPERTY));
        Await.until("SMTP greeting", () -> SmtpClient.greets(port));
        String[] reply = new String[1];
        Await.until("RCPT TO:<" + rcpt + "> accepted and the message queued", () -> {
            try (SmtpClient c = SmtpClient.connect(port)) {
                c.readReply();
                c.command("EHLO itest.example");
                c.command("MAIL FROM:<" + SENDER + ">");
                if (!c.command("RCPT TO:<" + rcpt + ">").startsWith("250 ")) return false;
                c.command("DATA");
                reply[0] = c.command("X-Seq: " + seq + "\r\nSubject: " + seq + "\r\n\r\nbody of " + seq + "\r\n.");
                return true;
            }
        });
        assertTrue(reply[0], reply[0].startsWith("250 2.0.0"));
        return reply[0].substring(reply[0].lastIndexOf(' ') + 1);
    }

    private static void forward(Path home, String content) throws IOException {
        Path f = home.resolve(".forward");
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        // a group- or world-writable .forward is ignored, whatever the umask made of it
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String token(String what) {
        return "aliases-" + what + "-" + System.nanoTime();
    }

    private Path data() {
        return Paths.get(context.getProperty("mailhive.data"));
    }

    private Path configDir() {
        return Paths.get(context.getProperty("mailhive.config"));
    }

    private List<Path> maildir(String user) throws IOException {
        Path dir = data().resolve("mail/localhost").resolve(user).resolve("Maildir/new");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toList());
        }
    }

    /** Messages in the user's Maildir whose X-Seq is seq. */
    private int count(String user, String seq) throws IOException {
        int n = 0;
        for (Path p : maildir(user)) {
            String text = read(p);
            if (text.contains("X-Seq: " + seq + "\n") || text.contains("X-Seq: " + seq + "\r\n")) n++;
        }
        return n;
    }

    private static Path findIn(List<Path> files, String token) throws IOException {
        for (Path p : files) {
            if (read(p).contains(token)) return p;
        }
        return null;
    }

    private static String read(Path p) throws IOException {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            // a Maildir file can move to cur/ between listing and reading
            return "";
        }
    }
}
