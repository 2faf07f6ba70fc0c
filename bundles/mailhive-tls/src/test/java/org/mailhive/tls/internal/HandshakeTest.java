package org.mailhive.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes on loopback between {@link TlsKeys#serverContext()} and a client that pins the certificate. */
class HandshakeTest {

    private static final int TIMEOUT_MS = 10_000;

    @TempDir
    Path data;

    private final ExecutorService server = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Handshakes as the client with only {@code wanted} enabled, checking the host name; returns the protocol used. */
    private String handshake(TlsKeys keys, String wanted, String hostToVerify) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) keys.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try (listener) {
            listener.setEnabledProtocols(keys.enabledProtocols().toArray(new String[0]));
            listener.setEnabledCipherSuites(keys.enabledCipherSuites().toArray(new String[0]));
            listener.setSoTimeout(TIMEOUT_MS);
            Future<Integer> echoed = server.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    s.getOutputStream().write(b + 1);
                    s.getOutputStream().flush();
                    return b;
                }
            });

            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), TIMEOUT_MS);
            String protocol;
            // closed before awaiting the server: its close waits for our close_notify
            try (SSLSocket client = (SSLSocket) trusting(keys.current().certificate()).getSocketFactory()
                    .createSocket(plain, hostToVerify, listener.getLocalPort(), true)) {
                client.setSoTimeout(TIMEOUT_MS);
                client.setEnabledProtocols(new String[] {wanted});
                SSLParameters p = client.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(p);
                client.startHandshake();
                OutputStream out = client.getOutputStream();
                out.write(41);
                out.flush();
                assertEquals(42, client.getInputStream().read());
                protocol = client.getSession().getProtocol();
            } catch (IOException e) {
                echoed.cancel(true);
                throw e;
            }
            assertEquals(41, echoed.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            return protocol;
        }
    }

    @Test
    void generatedCertificateServesTls13() throws Exception {
        TlsKeys keys = new TlsKeys(java.time.Clock.systemUTC(), () -> "mx.example.test");
        keys.start(data, Map.of());
        assertEquals("TLSv1.3", handshake(keys, "TLSv1.3", "localhost"));
        assertEquals("TLSv1.3", handshake(keys, "TLSv1.3", "mx.example.test"));
    }

    @Test
    void generatedCertificateServesTls12AndMatchesTheLoopbackAddress() throws Exception {
        TlsKeys keys = new TlsKeys(java.time.Clock.systemUTC(), () -> "mx.example.test");
        keys.start(data, Map.of());
        assertEquals("TLSv1.2", handshake(keys, "TLSv1.2", "127.0.0.1"));
    }

    @Test
    void ecCertificateFromPemServesBothVersions() throws Exception {
        TestMaterial ec = TestMaterial.ec("localhost");
        Path cert = data.resolve("ec.crt");
        Path key = data.resolve("ec.key");
        TestMaterial.writeFile(cert, ec.certPem());
        TestMaterial.writeFile(key, ec.traditionalKeyPem());
        TlsKeys keys = new TlsKeys(java.time.Clock.systemUTC(), () -> "unused.test");
        keys.start(data, Map.of("ssl_cert", cert.toString(), "ssl_key", key.toString()));
        // a pinned certificate without subjectAltName: the JDK then falls back to the CN for "localhost"
        assertEquals("TLSv1.3", handshake(keys, "TLSv1.3", "localhost"));
        assertEquals("TLSv1.2", handshake(keys, "TLSv1.2", "localhost"));
    }

    @Test
    void tls13OnlyServerRefusesATls12Client() throws Exception {
        TlsKeys keys = new TlsKeys(java.time.Clock.systemUTC(), () -> "mx.example.test");
        keys.start(data, Map.of("ssl_min_protocol", "TLSv1.3"));
        assertEquals("TLSv1.3", handshake(keys, "TLSv1.3", "localhost"));
        assertThrows(SSLHandshakeException.class, () -> handshake(keys, "TLSv1.2", "localhost"));
    }

    @Test
    void clientContextIsAvailable() throws Exception {
        TlsKeys keys = new TlsKeys(java.time.Clock.systemUTC(), () -> "mx.example.test");
        SSLContext c = keys.clientContext();
        assertEquals("TLS", c.getProtocol());
        assertEquals(c, keys.clientContext());
    }
}
