package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailhive.api.tls.TlsContextProvider;
import org.mailhive.net.testing.LineClient;
import org.mailhive.net.testing.TlsFixture;

/** Implicit TLS and STARTTLS-style upgrades on a real loopback endpoint, with the shared test certificate. */
class TlsSupportTest {

    private final ListenerThreads threads = new ListenerThreads("tls-test", 2);
    private Endpoint endpoint;

    @AfterEach
    void close() {
        if (endpoint != null) endpoint.close();
        threads.close();
    }

    private int listen(EndpointTest.Recorder handler) throws Exception {
        endpoint = new Endpoint("tls-test", InboundFilter.marking(), threads.workers(), handler);
        endpoint.bind(new InetSocketAddress("127.0.0.1", 0));
        return endpoint.localAddress().getPort();
    }

    @Test
    void implicitTlsMarksInputSecuredAndDescribesTheSession() throws Exception {
        EndpointTest.Recorder handler = new EndpointTest.Recorder() {
            @Override
            public void sessionCreated(IoSession s) {
                assertTrue(TlsSupport.wrap(s, TlsFixture.INSTANCE, "tls-test"));
            }
        };
        try (LineClient c = new LineClient(listen(handler), true, false)) {
            c.send("hi\r\n");
            EndpointTest.await(() -> handler.text().equals("hi\r\n"), "the line arrived");
            assertEquals("secured", handler.events.poll(10, TimeUnit.SECONDS));
            String description = TlsSupport.describe(handler.session);
            assertTrue(description.matches("TLSv1\\.[23] with cipher TLS_\\w+"), description);
        }
    }

    @Test
    void upgradeSendsTheGoAheadInClearThenSpeaksTls() throws Exception {
        EndpointTest.Recorder handler = new EndpointTest.Recorder() {
            @Override
            void onInput(IoSession s) {
                if (text().equals("STARTTLS\r\n")) {
                    assertTrue(TlsSupport.startTls(s, TlsFixture.INSTANCE, "GO\r\n".getBytes(StandardCharsets.US_ASCII)));
                }
            }
        };
        try (LineClient c = new LineClient(listen(handler), false, false)) {
            c.send("STARTTLS\r\n");
            assertEquals("GO\r\n", c.line());
            assertEquals("plain", handler.events.poll(10, TimeUnit.SECONDS));
            assertNull(TlsSupport.describe(handler.session));
            c.upgrade();
            c.send("after\r\n");
            EndpointTest.await(() -> handler.text().endsWith("after\r\n"), "the line after the handshake arrived");
            assertEquals("secured", handler.events.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void noUsableProviderMeansNoTls() throws Exception {
        TlsContextProvider broken = new TlsContextProvider() {
            @Override
            public SSLContext serverContext() {
                throw new IllegalStateException("no certificate configured");
            }

            @Override
            public SSLContext clientContext() {
                throw new IllegalStateException("no certificate configured");
            }

            @Override
            public List<String> enabledProtocols() {
                return List.of();
            }

            @Override
            public List<String> enabledCipherSuites() {
                return List.of();
            }
        };
        assertNull(TlsSupport.serverFilter(broken, "t"));
        EndpointTest.Recorder handler = new EndpointTest.Recorder() {
            @Override
            void onInput(IoSession s) {
                boolean started = TlsSupport.startTls(s, null, "GO\r\n".getBytes(StandardCharsets.US_ASCII))
                        || TlsSupport.startTls(s, broken, "GO\r\n".getBytes(StandardCharsets.US_ASCII))
                        || TlsSupport.wrap(s, broken, "t");
                events.add(started ? "started" : "refused");
            }
        };
        try (LineClient c = new LineClient(listen(handler), false, false)) {
            c.send("STARTTLS\r\n");
            assertEquals("plain", handler.events.poll(10, TimeUnit.SECONDS));
            assertEquals("refused", handler.events.poll(10, TimeUnit.SECONDS));
            assertFalse(handler.session.getFilterChain().contains(TlsSupport.FILTER));
            assertEquals(0, c.in.available(), "nothing was written");
        }
    }
}
