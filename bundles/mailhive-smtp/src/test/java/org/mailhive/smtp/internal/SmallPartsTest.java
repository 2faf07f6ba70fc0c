package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.junit.jupiter.api.Test;
import org.mailhive.net.InputBacklog;

/** Settings, path arguments, the check registry, the read throttle and the mail log wording. */
class SmallPartsTest {

    @Test
    void listenerNameComesFromFileOrPid() {
        assertEquals("mta", ListenerSettings.listenerName(Map.of(Settings.SOURCE_FILE,
                "file:/etc/mailhive/org.mailhive.smtp.listener~mta.cfg", "service.pid", "x~other")));
        assertEquals("submission", ListenerSettings.listenerName(Map.of("service.pid",
                "org.mailhive.smtp.listener~submission")));
        assertEquals("edge", ListenerSettings.listenerName(Map.of("service.pid", "org.mailhive.smtp.listener.1234",
                "name", "edge")));
    }

    @Test
    void settingsDefaultsAndPostfixSyntax() {
        Settings s = new Settings(Map.of("smtpd_timeout", "5m", "message_size_limit", "10m", "port", "25"));
        ListenerSettings l = ListenerSettings.read(s, "mta");
        assertTrue(s.ok(), s.problems().toString());
        assertEquals(Duration.ofMinutes(5), l.timeout());
        assertEquals(10L << 20, l.messageSizeLimit());
        assertEquals(25, l.port());
        assertEquals(List.of("permit_mynetworks", "permit_sasl_authenticated", "reject_unauth_destination",
                "reject_unknown_recipient"), Restriction.names(l.recipientRestrictions()));
        assertEquals(1000, l.lineLengthLimit());
        assertEquals(20, l.hardErrorLimit());
        assertEquals(16, l.workerThreads());
    }

    @Test
    void badValuesAreAllReported() {
        Settings s = new Settings(Map.of("port", "70000", "smtpd_timeout", "soon", "line_length_limit", "10",
                "smtpd_recipient_restrictions", "permit_mynetworks", "service.pid", "org.mailhive.smtp.listener~mta"));
        ListenerSettings.read(s, "mta");
        assertEquals(4, s.problems().size(), s.problems().toString());
        assertTrue(s.describeProblems().get(0).startsWith("org.mailhive.smtp.listener~mta: port: "));
        assertTrue(String.join("\n", s.problems()).contains("open relay"));
    }

    @Test
    void pathArgumentSplitsPathAndParameters() throws Exception {
        PathArgument a = PathArgument.parse("from: <\"a> b\"@x.test> size=10 SMTPUTF8", "FROM:");
        assertEquals("<\"a> b\"@x.test>", a.path());
        assertEquals(Map.of("SIZE", "10", "SMTPUTF8", ""), a.parameters());
        assertEquals("\"a> b\"", MailAddress.parsePath(a.path(), true).localPart());
        assertThrows(PathArgument.SyntaxException.class, () -> PathArgument.parse("<a@b>", "FROM:"));
        assertThrows(PathArgument.SyntaxException.class, () -> PathArgument.parse("FROM:", "FROM:"));
        assertThrows(PathArgument.SyntaxException.class, () -> PathArgument.parse("TO:<a@b> X=1 x=2", "TO:"));
    }

    @Test
    void checkRegistryPrefersHighestRankingAndForgetsUnbound() {
        CheckRegistry r = new CheckRegistry();
        Check low = new Check() { };
        Check high = new Check() { };
        r.add(low, Map.of(Check.NAME, "c", "service.id", 1L));
        r.add(high, Map.of(Check.NAME, "c", "service.id", 2L, "service.ranking", 10));
        assertSame(high, r.find("c"));
        r.remove(high, Map.of(Check.NAME, "c", "service.id", 2L));
        assertSame(low, r.find("c"));
        r.remove(low, Map.of(Check.NAME, "c", "service.id", 1L));
        assertNull(r.find("c"));
    }

    @Test
    void backlogSuspendsAboveHighAndResumesAtLow() {
        List<String> calls = new ArrayList<>();
        InputBacklog b = new InputBacklog(100, 20, new InputBacklog.ReadSwitch() {
            @Override public void suspend() { calls.add("suspend"); }
            @Override public void resume() { calls.add("resume"); }
        });
        b.received(60);
        b.received(60);
        assertTrue(b.suspended());
        b.received(60);
        b.processed(60);
        b.processed(60);
        assertTrue(b.suspended());
        b.processed(60);
        assertFalse(b.suspended());
        assertEquals(List.of("suspend", "resume"), calls);
    }

    @Test
    void mailLogLinesArePostfixShaped() {
        MailLog log = new MailLog("unknown[127.0.0.1]");
        assertEquals("NOQUEUE: reject: RCPT from unknown[127.0.0.1]: 550 5.1.1 <x@y.test>: Recipient address rejected:"
                + " User unknown; from=<s@r.test> to=<x@y.test> proto=ESMTP helo=<c.test>",
                log.rejectLine(null, "RCPT", SmtpReply.of(550, "5.1.1", "<x@y.test>: Recipient address rejected: User unknown"),
                        MailAddress.of("s", "r.test"), MailAddress.of("x", "y.test"), "ESMTP", "c.test"));
        for (String v : List.of("ehlo", "mail", "rcpt", "data", "quit")) log.count(v, true);
        assertEquals("disconnect from unknown[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
                log.disconnectLine());
        log.count("rcpt", false);
        assertTrue(log.disconnectLine().contains(" rcpt=1/2 ") && log.disconnectLine().endsWith("commands=5/6"));
    }
}
