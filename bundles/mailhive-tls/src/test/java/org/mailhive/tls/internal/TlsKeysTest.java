package org.mailhive.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class TlsKeysTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path data;

    private TlsKeys keys(String identityHost) {
        TlsKeys k = new TlsKeys(Clock.fixed(NOW, ZoneOffset.UTC), () -> "fallback.example.test");
        if (identityHost != null) k.setIdentity(new FixedIdentity(identityHost));
        return k;
    }

    private Path cert() {
        return data.resolve("tls/server.crt");
    }

    private Path key() {
        return data.resolve("tls/server.key");
    }

    @Test
    void firstStartGeneratesASelfSignedCertificateForMyhostname() throws Exception {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of());

        assertTrue(Files.isRegularFile(cert()));
        assertTrue(Files.isRegularFile(key()));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key()));
        assertTrue(Files.readString(key()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        try (var leftovers = Files.list(data.resolve("tls"))) {
            assertEquals(2, leftovers.count(), "no temporary files left behind");
        }

        X509Certificate c = MaterialLoader.readChain(cert()).get(0);
        assertEquals("CN=mx.example.test", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        Set<List<?>> san = new HashSet<>(c.getSubjectAlternativeNames());
        assertEquals(Set.of(List.of(2, "mx.example.test"), List.of(2, "localhost"), List.of(7, "127.0.0.1")), san);
        assertEquals(ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC).plusYears(10).toInstant(), c.getNotAfter().toInstant());
        assertTrue(c.getNotBefore().toInstant().isBefore(NOW));
        assertEquals("RSA", c.getPublicKey().getAlgorithm());
        c.verify(c.getPublicKey());

        KeyMaterial fromDisk = MaterialLoader.fromPem(cert(), key(), new char[0]);
        fromDisk.checkMatches();
        assertEquals(c, k.current().certificate());
        assertArrayEquals(fromDisk.key().getEncoded(), k.current().key().getEncoded());
        assertNotNull(k.serverContext());
    }

    @Test
    void withoutServerIdentityTheFallbackHostIsUsed() throws Exception {
        TlsKeys k = keys(null);
        k.start(data, Map.of());
        assertEquals("CN=fallback.example.test", k.current().certificate().getSubjectX500Principal().getName());
    }

    @Test
    void secondStartReusesTheFiles() throws Exception {
        keys("one.example.test").start(data, Map.of());
        byte[] certBytes = Files.readAllBytes(cert());
        byte[] keyBytes = Files.readAllBytes(key());

        TlsKeys again = keys("two.example.test");
        again.start(data, Map.of());
        assertArrayEquals(certBytes, Files.readAllBytes(cert()));
        assertArrayEquals(keyBytes, Files.readAllBytes(key()));
        assertEquals("CN=one.example.test", again.current().certificate().getSubjectX500Principal().getName());
    }

    @Test
    void aLoneCertificateIsNeverOverwrittenNorCompleted() throws Exception {
        String pem = TestMaterial.rsa("mine.test").certPem();
        TestMaterial.writeFile(cert(), pem);
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of());
        assertEquals(pem, Files.readString(cert()));
        assertFalse(Files.exists(key()));
        assertNull(k.current());
        assertThrows(IllegalStateException.class, k::serverContext);
    }

    @Test
    void generationCanBeSwitchedOff() {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of("ssl_generate_self_signed", "no"));
        assertFalse(Files.exists(cert()));
        assertFalse(Files.exists(key()));
        assertThrows(IllegalStateException.class, k::serverContext);
    }

    @Test
    void aMismatchedPairIsRefusedAndTheLastGoodContextKept() throws Exception {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of());
        SSLContext good = k.serverContext();
        X509Certificate goodCert = k.current().certificate();

        TestMaterial other = TestMaterial.rsa("other.test");
        TestMaterial.writeFile(cert(), other.certPem());   // the key still belongs to the old certificate
        assertTrue(k.checkForChanges());
        assertSame(good, k.serverContext());
        assertEquals(goodCert, k.current().certificate());
        assertFalse(k.checkForChanges(), "the same broken files are not retried");

        TestMaterial.writeFile(key(), other.pkcs8KeyPem());
        assertTrue(k.checkForChanges());
        assertEquals(other.cert, k.current().certificate());
        assertNotSame(good, k.serverContext());
    }

    @Test
    void replacedFilesAreLoadedOnTheNextCheck() throws Exception {
        Path certFile = data.resolve("etc/mail.crt");
        Path keyFile = data.resolve("etc/mail.key");
        TestMaterial first = TestMaterial.ec("first.test");
        TestMaterial.writeFile(certFile, first.certPem());
        TestMaterial.writeFile(keyFile, first.traditionalKeyPem());
        Map<String, Object> config = Map.of("ssl_cert", certFile.toString(), "ssl_key", "<" + keyFile);
        TlsKeys k = keys("mx.example.test");
        k.start(data, config);
        assertEquals(first.cert, k.current().certificate());
        assertFalse(k.checkForChanges());

        // a half-written key: refused, the first certificate stays in service
        TestMaterial second = TestMaterial.rsa("second.test");
        TestMaterial.writeFile(certFile, second.certPem());
        String secondKey = second.traditionalKeyPem();
        TestMaterial.writeFile(keyFile, secondKey.substring(0, secondKey.length() / 2));
        assertTrue(k.checkForChanges());
        assertEquals(first.cert, k.current().certificate());

        TestMaterial.writeFile(keyFile, secondKey);
        assertTrue(k.checkForChanges());
        assertEquals(second.cert, k.current().certificate());
        assertFalse(Files.exists(cert()), "configured files in use: nothing generated at the default path");
    }

    @Test
    void theActivatedComponentPollsForReplacedFiles() throws Exception {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && "mailhive.data".equals(args[0])) {
                        return data.toString();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        TlsKeys k = keys("mx.example.test");
        k.activate(context, Map.of());
        try {
            assertEquals("CN=mx.example.test", k.current().certificate().getSubjectX500Principal().getName());
            TestMaterial next = TestMaterial.rsa("renewed.test");
            TestMaterial.writeFile(key(), next.pkcs8KeyPem());
            TestMaterial.writeFile(cert(), next.certPem());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!next.cert.equals(k.current().certificate()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertEquals(next.cert, k.current().certificate());
        } finally {
            k.deactivate();
        }
    }

    @Test
    void aBadValueKeepsThePreviousConfiguration() {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of("ssl_min_protocol", "TLSv1.3"));
        assertEquals(List.of("TLSv1.3"), k.enabledProtocols());

        Map<String, Object> bad = new HashMap<>();
        bad.put("ssl_min_protocol", "TLSv1.1");
        k.configure(bad);
        assertEquals(List.of("TLSv1.3"), k.enabledProtocols());

        TlsKeys fresh = keys("mx.example.test");
        fresh.start(data, bad);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), fresh.enabledProtocols(), "defaults on a first bad start");
        assertNotNull(fresh.serverContext());
    }

    @Test
    void protocolsAreNeverOlderThanTls12() {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), k.enabledProtocols());
        for (String old : List.of("SSLv3", "TLSv1", "TLSv1.1")) {
            assertFalse(k.enabledProtocols().contains(old), old);
            k.configure(Map.of("ssl_min_protocol", old));
            assertFalse(k.enabledProtocols().contains(old), old);
        }
    }

    @Test
    void defaultCipherSuitesAreModernAndSupported() throws Exception {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of());
        List<String> suites = k.enabledCipherSuites();
        Set<String> supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        assertTrue(suites.contains("TLS_AES_256_GCM_SHA384"), suites.toString());
        assertTrue(suites.contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), suites.toString());
        for (String s : suites) {
            assertTrue(supported.contains(s), s);
            assertTrue(s.contains("_GCM_") || s.contains("CHACHA20"), s);
            assertTrue(CipherSuites.isTls13Suite(s) || s.startsWith("TLS_ECDHE_"), s);
        }
    }

    @Test
    void cipherListAcceptsOpenSslSeparatorsAndRejectsUnknownNames() {
        TlsKeys k = keys("mx.example.test");
        k.start(data, Map.of("ssl_cipher_list", "TLS_AES_128_GCM_SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                k.enabledCipherSuites());

        k.configure(Map.of("ssl_cipher_list", "ECDHE-RSA-AES128-GCM-SHA256"));
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                k.enabledCipherSuites());

        k.configure(Map.of("ssl_min_protocol", "TLSv1.3", "ssl_cipher_list", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), k.enabledProtocols(), "a TLS 1.3-only setting needs a 1.3 suite");
    }
}
