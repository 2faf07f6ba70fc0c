package org.mailhive.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class LogWriterTest {

    @TempDir
    Path dir;

    @Test
    void mailEventsGoToTheMailLogInPostfixForm() throws Exception {
        Path log = dir.resolve("log/mail.log");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogSettings s = new LogSettings(Level.INFO, Map.of(), log, true, "mx1");
        LogWriter w = new LogWriter(s, new PrintStream(out, true, StandardCharsets.UTF_8));
        MailhiveLogger mail = new MailhiveLogger("mail.smtpd", Level.INFO.toInt(), w);
        MailhiveLogger other = new MailhiveLogger("org.mailhive.smtp.internal.SmtpListener", Level.INFO.toInt(), w);
        mail.info("{}: client=localhost[127.0.0.1]", "3F2A9C1B07");
        mail.info("evil\r\nline");
        other.info("listening on {}", 2525);
        other.debug("not shown");
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d mx1 mailhive/smtpd\\[\\d+\\]: "
                + "3F2A9C1B07: client=localhost\\[127.0.0.1\\]"), lines.get(0));
        assertTrue(lines.get(1).endsWith("evil??line"));
        String console = out.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("listening on 2525"));
        assertTrue(console.contains("3F2A9C1B07: client="));
        assertFalse(console.contains("not shown"));
    }

    @Test
    void aBufferedConsoleGetsProblemsAtOnceAndTheRestInBlocks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // as BufferedConsole.stdout(): no flush per line
        PrintStream console = new PrintStream(new java.io.BufferedOutputStream(out, 1 << 16), false,
                StandardCharsets.UTF_8);
        LogWriter w = new LogWriter(new LogSettings(Level.INFO, Map.of(), null, true, "mx1"), console);
        MailhiveLogger mail = new MailhiveLogger("mail.smtpd", Level.INFO.toInt(), w);
        mail.info("connect from unknown[127.0.0.1]");
        assertEquals("", out.toString(StandardCharsets.UTF_8), "an ordinary line waits for the next block");
        mail.warn("too many errors after RCPT");
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("connect from") && shown.contains("WARN  mail.smtpd - too many errors"), shown);
        assertTrue(shown.indexOf("connect from") < shown.indexOf("too many errors"), "in order");
    }

    @Test
    void mostSpecificLevelWins() {
        LogSettings s = new LogSettings(Level.INFO, Map.of("org.apache", Level.WARN, "org.apache.mina.x", Level.DEBUG),
                null, false, "h");
        assertEquals(Level.WARN, s.levelFor("org.apache.mina"));
        assertEquals(Level.DEBUG, s.levelFor("org.apache.mina.x.Y"));
        assertEquals(Level.INFO, s.levelFor("org.apachex"));
    }

    @Test
    void aLoggerCanBeSwitchedOff() {
        java.util.Map<String, Level> levels = new java.util.HashMap<>();
        levels.put("org.apache.mina.core.service.IoProcessor", null);
        LogSettings s = new LogSettings(Level.INFO, levels, null, false, "h");
        assertEquals(LogSettings.OFF, s.thresholdFor("org.apache.mina.core.service.IoProcessor"));
        assertEquals(Level.INFO.toInt(), s.thresholdFor("org.apache.mina.core.service.IoService"));
        MailhiveLogger off = new MailhiveLogger("x", LogSettings.OFF, new LogWriter(s));
        assertFalse(off.isErrorEnabled());
    }
}
