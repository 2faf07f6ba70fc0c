package org.mailhive.smtp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mailhive.api.smtp.Check;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.TlsFixture;

/** A real listener on 127.0.0.1, driven over a socket. */
class SmtpListenerSocketTest {

    private final TestFakes.Sink sink = new TestFakes.Sink();
    private SmtpListener listener;

    @BeforeEach
    void start() {
        listener = new SmtpListener(TestFakes.IDENTITY, sink);
        listener.bindCheck(TestFakes.rejecting("nobody@localhost"), Map.of(Check.NAME, "reject_unknown_recipient",
                "service.id", 7L));
        listener.bindCheck(new Check() { }, Map.of(Check.NAME, "reject_unauth_destination", "service.id", 8L));
        listener.configure(config(Map.of("message_size_limit", "2000")));
        assertTrue(listener.localPort() > 0);
    }

    @AfterEach
    void stop() {
        listener.deactivate();
    }

    private static Map<String, Object> config(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "org.mailhive.smtp.listener~mta");
        m.put("bind", "127.0.0.1");
        m.put("port", "0");
        m.put("smtpd_recipient_restrictions", "reject_unauth_destination, reject_unknown_recipient");
        m.putAll(extra);
        return m;
    }

    /** A minimal client that reads whole replies (multi-line aware) with a deadline. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                sb.append((char) c);
                if (c == '\n') return sb.toString();
            }
            throw new IOException("closed after: " + sb);
        }

        /** One complete reply, all lines of a multi-line reply included. */
        String reply() throws IOException {
            StringBuilder sb = new StringBuilder();
            String l;
            do {
                l = line();
                sb.append(l);
            } while (l.length() > 3 && l.charAt(3) == '-');
            return sb.toString();
        }

        String command(String cmd) throws IOException {
            send(cmd + "\r\n");
            return reply();
        }

        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Client connect() throws IOException {
        Client c = new Client(listener.localPort());
        assertEquals("220 mx.test ESMTP Mailhive\r\n", c.reply());
        return c;
    }

    @Test
    void fullTransaction() throws Exception {
        try (Client c = connect()) {
            assertTrue(c.command("EHLO client.test").contains("250-PIPELINING\r\n250-SIZE 2000\r\n"));
            assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<sender@remote.test>"));
            assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<alice@localhost>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", c.command("DATA"));
            c.send("Subject: hello\r\n\r\n..line with dot\r\nbye\r\n.\r\n");
            String queued = c.reply();
            assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
            assertEquals("221 2.0.0 Bye\r\n", c.command("QUIT"));
            assertTrue(c.closedByServer());
        }
        assertEquals("Subject: hello\r\n\r\n.line with dot\r\nbye\r\n", sink.onlyMessage());
        assertEquals("mta", sink.envelopes.get(0).attribute("source", null));
    }

    @Test
    void helloMailAndQuitAreAnsweredOnTheIoThreadWithTheSameReplies() throws Exception {
        long before = SmtpSession.INLINE_ANSWERS.get();
        int messages = 20;
        try (Client c = connect()) {
            assertTrue(c.command("EHLO client.test").contains("250-PIPELINING\r\n250-SIZE 2000\r\n"));
            for (int i = 0; i < messages; i++) {
                assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<sender" + i + "@remote.test>"));
                assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<alice@localhost>"));
                assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", c.command("DATA"));
                c.send("Subject: " + i + "\r\n\r\nbody\r\n.\r\n");
                assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
            }
            // the same checks as on the worker: sequence, syntax, a nested MAIL
            assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<a@remote.test>\r\nMAIL FROM:<b@remote.test>"));
            assertEquals("503 5.5.1 Error: nested MAIL command\r\n", c.reply());
            assertEquals("250 2.0.0 Ok\r\n", c.command("RSET"));
            assertEquals("501 5.5.4 Syntax: HELO hostname\r\n", c.command("HELO"));
            assertEquals("221 2.0.0 Bye\r\n", c.command("QUIT"));
            assertTrue(c.closedByServer());
        }
        assertEquals(messages, sink.committed.size());
        for (int i = 0; i < messages; i++) {
            assertEquals("sender" + i + "@remote.test", sink.envelopes.get(i).sender().toString());
        }
        // EHLO, 20 MAIL, the MAIL pair, RSET, HELO and QUIT could all be inline; a line that
        // arrives while the worker is still finishing the reply before it goes to the worker
        long inline = SmtpSession.INLINE_ANSWERS.get() - before;
        assertTrue(inline >= 12, "answered on the I/O thread: " + inline);
    }

    @Test
    void pipelinedBatchInOneWrite() throws Exception {
        try (Client c = connect()) {
            c.command("EHLO client.test");
            c.send("MAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@localhost>\r\nRCPT TO:<nobody@localhost>\r\n"
                    + "RCPT TO:<bob@localhost>\r\nDATA\r\n");
            assertEquals("250 2.1.0 Ok\r\n", c.reply());
            assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertTrue(c.reply().startsWith("550 5.1.1 <nobody@localhost>: Recipient address rejected"));
            assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", c.reply());
            c.send("body\r\n.\r\nQUIT\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
            assertEquals("221 2.0.0 Bye\r\n", c.reply());
        }
        assertEquals(2, sink.envelopes.get(0).recipients().size());
    }

    @Test
    void badInputGetsErrorsAndTheSessionGoesOn() throws Exception {
        try (Client c = connect()) {
            assertEquals("500 5.5.2 Unknown command\r\n", c.command("XYZZY"));
            assertEquals("502 5.5.1 Command not implemented\r\n", c.command("ETRN example.org"));
            c.command("EHLO client.test");
            assertEquals("503 5.5.1 Error: need MAIL command\r\n", c.command("RCPT TO:<alice@localhost>"));
            assertEquals("500 5.5.2 Line too long\r\n", c.command("NOOP " + "x".repeat(1000)));
            assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
            assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<s@remote.test>"));
            assertEquals("550 5.1.1 <nobody@localhost>: Recipient address rejected: User unknown in local recipient"
                    + " table\r\n", c.command("RCPT TO:<nobody@localhost>"));
        }
    }

    @Test
    void messageOverTheLimitIs552() throws Exception {
        try (Client c = connect()) {
            c.command("EHLO client.test");
            assertEquals("552 5.3.4 Message size exceeds fixed limit\r\n", c.command("MAIL FROM:<s@remote.test> SIZE=2001"));
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<alice@localhost>");
            assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", c.command("DATA"));
            c.send(("z".repeat(78) + "\r\n").repeat(40));
            assertEquals("552 5.3.4 Message size exceeds fixed limit\r\n", c.command("."));
            assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
        }
        assertTrue(sink.committed.isEmpty());
        assertEquals(1, sink.aborted.get());
    }

    @Test
    void okIsSentOnlyAfterCommitReturns() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        sink.commitGate = gate;
        try (Client c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<alice@localhost>");
            c.command("DATA");
            c.send("held\r\n.\r\n");
            awaitNoReplyWhileCommitting(c, gate);
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
        } finally {
            gate.countDown();
        }
        assertEquals("held\r\n", sink.onlyMessage());
    }

    /** Half a second of silence while commit() is held proves no 250 went out before it returned. */
    private void awaitNoReplyWhileCommitting(Client c, CountDownLatch gate) throws Exception {
        assertTrue(sink.commitEntered.await(10, TimeUnit.SECONDS), "commit never called");
        c.socket.setSoTimeout(500);
        boolean early;
        try {
            early = c.in.read() >= 0;
        } catch (SocketTimeoutException expected) {
            early = false;
        }
        assertFalse(early, "a reply arrived while commit() was still running");
        gate.countDown();
        c.socket.setSoTimeout(10_000);
    }

    @Test
    void changedPortRebindsAndPortInUseKeepsTheOldSocket() throws Exception {
        int first = listener.localPort();
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listener.configure(config(Map.of("port", Integer.toString(busy.getLocalPort()))));
            assertEquals(first, listener.localPort());
            try (Client c = connect()) {
                assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
            }
        }
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int free = probe.getLocalPort();
            probe.close();
            listener.configure(config(Map.of("port", Integer.toString(free))));
            assertEquals(free, listener.localPort());
            try (Client c = connect()) {
                assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
            }
        }
    }

    @Test
    void badValueKeepsThePreviousConfiguration() throws Exception {
        listener.configure(config(Map.of("message_size_limit", "lots", "port", "0")));
        assertEquals(2000, listener.currentSettings().messageSizeLimit());
        try (Client c = connect()) {
            assertTrue(c.command("EHLO x").contains("SIZE 2000"));
        }
        listener.configure(config(Map.of("message_size_limit", "3000")));
        try (Client c = connect()) {
            assertTrue(c.command("EHLO x").contains("SIZE 3000"));
        }
    }

    @Test
    void missingCheckServiceIs451() throws Exception {
        listener.unbindCheck(null, Map.of(Check.NAME, "reject_unknown_recipient", "service.id", 7L));
        try (Client c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            assertEquals("451 4.3.5 Server configuration problem\r\n", c.command("RCPT TO:<alice@localhost>"));
        }
    }

    @Test
    void idleClientGets421AndIsDisconnected() throws Exception {
        listener.configure(config(Map.of("smtpd_timeout", "1s", "port", Integer.toString(listener.localPort()))));
        try (Client c = connect()) {
            assertEquals("421 4.4.2 mx.test Error: timeout exceeded\r\n", c.reply());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void bigMessageStreamsThroughTheThrottle() throws Exception {
        listener.configure(config(Map.of("message_size_limit", "0", "port", Integer.toString(listener.localPort()))));
        String line = "0123456789".repeat(9) + "\r\n";
        int lines = (8 << 20) / line.length();
        try (Client c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<alice@localhost>");
            assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", c.command("DATA"));
            byte[] block = line.repeat(1000).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < lines / 1000; i++) c.out.write(block);
            c.send(".\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
        }
        assertEquals((long) (lines / 1000) * 1000 * line.length(), sink.onlyMessage().length());
    }

    @Test
    void deactivateClosesSessionsAndFreesThePort() throws Exception {
        int port = listener.localPort();
        Client c = connect();
        listener.deactivate();
        assertTrue(c.closedByServer());
        c.close();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        listener = new SmtpListener(TestFakes.IDENTITY, sink);
    }

    @Test
    void slowDiskSuspendsReadingInsteadOfBuffering() throws Exception {
        listener.configure(config(Map.of("message_size_limit", "0", "port", Integer.toString(listener.localPort()))));
        CountDownLatch disk = new CountDownLatch(1);
        sink.writeGate = disk;
        byte[] block = ("x".repeat(1022) + "\r\n").repeat(1024).getBytes(StandardCharsets.US_ASCII);
        try (Client c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<s@remote.test>");
            c.command("RCPT TO:<alice@localhost>");
            c.command("DATA");
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 16; i++) c.out.write(block);
                    c.send(".\r\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (listener.readSuspendedSessions() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
                assertEquals(1, listener.readSuspendedSessions(), "reading was never suspended");
            } finally {
                disk.countDown();
            }
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as "));
            writer.join(10_000);
        }
        assertEquals(16L * block.length, sink.onlyMessage().length());
    }

    @Test
    void portOpensOnlyWhenTheNamedServicesAreThere() throws Exception {
        listener.deactivate();
        listener = new SmtpListener(TestFakes.IDENTITY, null);
        listener.setStartupGrace(60_000);
        listener.configure(config(Map.of("smtpd_recipient_restrictions", "reject_unauth_destination",
                "smtpd_reject_unlisted_recipient", "no")));
        assertEquals(-1, listener.localPort(), "no port while MessageSink and the check are missing");
        assertEquals(java.util.List.of("MessageSink", "TlsContextProvider", "check reject_unauth_destination"),
                listener.missing(listener.currentSettings()));
        listener.setSink(sink);
        listener.setTls(TlsFixture.INSTANCE);
        assertEquals(-1, listener.localPort());
        listener.bindCheck(new Check() { }, Map.of(Check.NAME, "reject_unauth_destination", "service.id", 9L));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (listener.localPort() <= 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(listener.localPort() > 0, "opened once everything was there");
        Client c = new Client(listener.localPort());
        assertTrue(c.reply().startsWith("220 "));
        c.close();
    }
}
