package org.mailhive.smtp.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.tls.TlsContextProvider;

/** STARTTLS at levels may and encrypt against a sink with a self-signed certificate, and AUTH to the relayhost. */
class SmtpTlsTest {

    private SmtpSink sink;
    private SmtpDelivery agent;

    @BeforeEach
    void setUp() throws IOException {
        sink = SmtpSink.start("127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (agent != null) agent.close();
        sink.close();
    }

    private SmtpDelivery agent(ClientSettings.TlsLevel level, boolean auth) {
        ClientSettings b = Fakes.settings(sink.port());
        Nexthop relay = auth ? Nexthop.parse("[127.0.0.1]:" + sink.port(), 25) : null;
        Duration t = Duration.ofSeconds(5);
        ClientSettings cfg = new ClientSettings(b.port(), relay, level, auth, "relayuser", "s3cret", b.heloName(),
                b.connectTimeout(), t, t, t, t, t, t, t, t, b.cacheTimeLimit());
        agent = new SmtpDelivery(a -> false, new Random(1));
        agent.setDns(new Fakes.Dns().mx("remote.test", 10, "mx.remote.test").host("mx.remote.test", "127.0.0.1"));
        agent.setIdentity(new Fakes.Identity());
        agent.setTls(new Protocols());
        agent.setSettings(cfg);
        return agent;
    }

    @Test
    void startTlsIsUsedWhenOfferedWithoutCheckingTheCertificate() throws Exception {
        sink.tls = Fakes.SERVER_TLS;
        List<RecipientResult> results = agent(ClientSettings.TlsLevel.MAY, false).deliver(
                Fakes.request("bob@remote.test"));
        assertEquals(DeliveryStatus.SENT, results.get(0).status(), results.toString());
        assertEquals(List.of(true), sink.tlsAtMail);
        List<String> hello = sink.commands.stream().filter(c -> c.startsWith("EHLO") || c.equals("STARTTLS")).toList();
        assertEquals(List.of("EHLO mail.local.test", "STARTTLS", "EHLO mail.local.test"), hello);
        assertEquals(Fakes.message("hello").length, sink.messages.get(0).length);
    }

    @Test
    void mayFallsBackToPlaintextWhenStartTlsIsNotOffered() throws Exception {
        List<RecipientResult> results = agent(ClientSettings.TlsLevel.MAY, false).deliver(
                Fakes.request("bob@remote.test"));
        assertEquals(DeliveryStatus.SENT, results.get(0).status());
        assertEquals(List.of(false), sink.tlsAtMail);
    }

    @Test
    void encryptDefersWhenStartTlsIsNotOffered() throws Exception {
        List<RecipientResult> results = agent(ClientSettings.TlsLevel.ENCRYPT, false).deliver(
                Fakes.request("bob@remote.test"));
        RecipientResult r = results.get(0);
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(EnhancedStatus.of(4, 7, 4), r.dsn());
        assertEquals("TLS is required, but was not offered by host mx.remote.test[127.0.0.1]", r.reason());
        assertTrue(sink.tlsAtMail.isEmpty());
    }

    @Test
    void failedHandshakeAtMayIsRetriedInPlaintext() throws Exception {
        sink.tls = Fakes.SERVER_TLS;
        sink.brokenTls = true;
        List<RecipientResult> results = agent(ClientSettings.TlsLevel.MAY, false).deliver(
                Fakes.request("bob@remote.test"));
        assertEquals(DeliveryStatus.SENT, results.get(0).status(), results.toString());
        assertEquals(2, sink.connections.get());
        assertEquals(List.of(false), sink.tlsAtMail);
    }

    @Test
    void failedHandshakeAtEncryptDefers() throws Exception {
        sink.tls = Fakes.SERVER_TLS;
        sink.brokenTls = true;
        RecipientResult r = agent(ClientSettings.TlsLevel.ENCRYPT, false).deliver(Fakes.request("bob@remote.test"))
                .get(0);
        assertEquals(DeliveryStatus.DEFERRED, r.status());
        assertEquals(EnhancedStatus.of(4, 7, 5), r.dsn());
        assertTrue(r.reason().startsWith("Cannot start TLS: handshake failure with mx.remote.test[127.0.0.1]"),
                r.reason());
        assertTrue(sink.tlsAtMail.isEmpty());
    }

    @Test
    void noneNeverStartsTls() throws Exception {
        sink.tls = Fakes.SERVER_TLS;
        agent(ClientSettings.TlsLevel.NONE, false).deliver(Fakes.request("bob@remote.test"));
        assertEquals(List.of(false), sink.tlsAtMail);
        assertTrue(!sink.commands.contains("STARTTLS"));
    }

    @Test
    void relayhostGetsAuthPlainInsideTls() throws Exception {
        sink.tls = Fakes.SERVER_TLS;
        sink.offerAuth = true;
        List<RecipientResult> results = agent(ClientSettings.TlsLevel.ENCRYPT, true).deliver(
                Fakes.request("bob@elsewhere.test"));
        assertEquals(DeliveryStatus.SENT, results.get(0).status(), results.toString());
        String auth = sink.commands.stream().filter(c -> c.startsWith("AUTH PLAIN ")).findFirst().orElseThrow();
        assertEquals("\0relayuser\0s3cret", SmtpSink.decodeAuth(auth));
        int authAt = sink.commands.indexOf(auth);
        assertTrue(sink.commands.indexOf("STARTTLS") < authAt);
    }

    /** Only the protocol list matters to the client; its contexts are never used for may/encrypt. */
    private static final class Protocols implements TlsContextProvider {
        @Override
        public SSLContext serverContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SSLContext clientContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> enabledProtocols() {
            return List.of("TLSv1.3", "TLSv1.2");
        }

        @Override
        public List<String> enabledCipherSuites() {
            return List.of();
        }
    }
}
