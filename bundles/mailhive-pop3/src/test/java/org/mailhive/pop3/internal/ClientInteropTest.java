package org.mailhive.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.TlsFixture;

/** Real POP3 clients (curl, Python's poplib) against a listener on 127.0.0.1, when installed. */
class ClientInteropTest {

    private static final String M1 = Pop3ListenerSocketTest.M1;
    private static final String M2 = Pop3ListenerSocketTest.M2;

    private final Fakes.Store store = new Fakes.Store();
    private Pop3Listener listener;
    private Fakes.Inbox inbox;

    @BeforeEach
    void start() {
        listener = new Pop3Listener(Fakes.AUTH, Fakes.LOCATOR, new MailboxLocks());
        listener.bindStore(store, Map.of("format", "fake", "service.id", 1L));
        listener.setTls(TlsFixture.INSTANCE);
        inbox = store.inbox("alice@localhost");
        inbox.add(M1);
        inbox.add(M2);
    }

    @AfterEach
    void stop() {
        listener.deactivate();
    }

    private int configure(String name, String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "org.mailhive.pop3.listener~" + name);
        m.put("bind", "127.0.0.1");
        m.put("port", "0");
        m.put("auth_failure_delay", "0s");
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        listener.configure(m);
        return listener.localPort();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) return true;
        }
        return false;
    }

    /** Runs a program and returns its standard output; fails on a non-zero exit. */
    private static byte[] run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running: " + command);
        assertEquals(0, p.exitValue(), "exit status of " + command);
        return out;
    }

    private static List<String> curl(String url, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "-u", "alice@localhost:secret1"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        return cmd;
    }

    @Test
    void curlRetrievesMessagesByteIdentical() throws Exception {
        assumeTrue(onPath("curl"), "curl not installed");
        int port = configure("pop3");
        String base = "pop3://127.0.0.1:" + port + "/";
        assertEquals(M1, new String(run(curl(base + "1"), null), StandardCharsets.UTF_8));
        assertEquals("1 " + M1.length() + "\r\n2 " + M2.length() + "\r\n",
                new String(run(curl(base), null), StandardCharsets.UTF_8));
        assertEquals(2, inbox.messages.size());
    }

    @Test
    void curlUsesStlsWhenPlaintextIsRefusedAndSpeaksPop3s() throws Exception {
        assumeTrue(onPath("curl"), "curl not installed");
        listener.setLocalClient(a -> false);
        int port = configure("pop3");
        String got = new String(run(curl("pop3://127.0.0.1:" + port + "/2", "--ssl-reqd", "-k"), null),
                StandardCharsets.UTF_8);
        assertEquals(M2, got);
        listener.deactivate();
        listener = new Pop3Listener(Fakes.AUTH, Fakes.LOCATOR, new MailboxLocks());
        listener.bindStore(store, Map.of("format", "fake", "service.id", 1L));
        listener.setTls(TlsFixture.INSTANCE);
        int ssl = configure("pop3s", "ssl", "yes");
        assertEquals(M1, new String(run(curl("pop3s://127.0.0.1:" + ssl + "/1", "-k"), null),
                StandardCharsets.UTF_8));
    }

    @Test
    void pythonPoplibListsRetrievesAndDeletes() throws Exception {
        assumeTrue(onPath("python3"), "python3 not installed");
        int port = configure("pop3");
        String script = String.join("\n",
                "import poplib, ssl, sys",
                "p = poplib.POP3('127.0.0.1', " + port + ", timeout=20)",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "p.stls(context=ctx)",
                "p.user('alice@localhost'); p.pass_('secret1')",
                "caps = p.capa()",
                "assert 'UIDL' in caps and 'TOP' in caps, caps",
                "count, size = p.stat()",
                "resp, lines, octets = p.retr(1)",
                "sys.stdout.buffer.write(b'\\r\\n'.join(lines) + b'\\r\\n')",
                "sys.stdout.buffer.write(('|%d %d %d|' % (count, size, octets)).encode())",
                "p.dele(2)",
                "p.quit()",
                "");
        String out = new String(run(List.of("python3", "-"), script), StandardCharsets.UTF_8);
        int bar = out.indexOf('|');
        assertEquals(M1, out.substring(0, bar));
        String[] nums = out.substring(bar + 1, out.length() - 1).split(" ");
        assertEquals("2", nums[0]);
        assertEquals(Integer.toString(M1.length() + M2.length()), nums[1]);
        assertEquals(List.of(1L), List.copyOf(inbox.messages.keySet()));
    }
}
