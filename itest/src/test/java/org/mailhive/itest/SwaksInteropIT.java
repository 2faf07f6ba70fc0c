package org.mailhive.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/** swaks (Debian's package, installed by .ci/test) against the three shipped listeners. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwaksInteropIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("swaks");
    }

    private String server(String listener) throws Exception {
        String key = listener.equals("mta") ? MailhiveOptions.PORT_PROPERTY
                : MailhiveOptions.PORT_PROPERTY + "." + listener;
        int port = Integer.parseInt(context.getProperty(key));
        Await.until(listener + " listener on port " + port, () -> SmtpClient.accepts(port));
        return "127.0.0.1:" + port;
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Result swaks(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("swaks");
        cmd.addAll(Arrays.asList(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("swaks is not installed; the README's test command (.ci/test) installs it", e);
        }
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue("swaks finished", p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void startTlsOnTheMta() throws Exception {
        Result r = swaks("--server", server("mta"), "--tls", "--from", "bob@localhost", "--to", "alice@localhost");
        assertEquals(r.output, 0, r.exit);
        assertTrue(r.output, r.output.contains("<~  250 2.0.0 Ok: queued as"));
    }

    @Test
    public void implicitTlsOnSmtps() throws Exception {
        Result r = swaks("--server", server("smtps"), "--tlsc", "--from", "bob@localhost", "--to", "alice@localhost");
        assertEquals(r.output, 0, r.exit);
        assertTrue(r.output, r.output.contains("<~  250 2.0.0 Ok: queued as"));
    }

    @Test
    public void authPlainAndLoginOnSubmissionMayRelay() throws Exception {
        for (String mech : List.of("PLAIN", "LOGIN")) {
            Result r = swaks("--server", server("submission"), "--tls", "--auth", mech, "--auth-user",
                    "alice@localhost", "--auth-password", "secret1", "--from", "alice@localhost", "--to",
                    "friend@remote.test");
            assertEquals(mech + ": " + r.output, 0, r.exit);
            assertTrue(r.output, r.output.contains("<~  235 2.7.0"));
        }
        Result wrong = swaks("--server", server("submission"), "--tls", "--auth", "PLAIN", "--auth-user",
                "alice@localhost", "--auth-password", "wrong", "--to", "alice@localhost");
        assertNotEquals(wrong.output, 0, wrong.exit);
        assertTrue(wrong.output, wrong.output.contains("535 5.7.8"));
    }

    @Test
    public void pipelining() throws Exception {
        Result r = swaks("--server", server("mta"), "--pipeline", "--from", "bob@localhost", "--to",
                "alice@localhost,alice@localhost");
        assertEquals(r.output, 0, r.exit);
        assertTrue(r.output, r.output.contains("250 2.0.0 Ok: queued as"));
    }
}
