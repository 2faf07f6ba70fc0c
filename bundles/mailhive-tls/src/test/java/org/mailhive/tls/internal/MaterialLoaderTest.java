package org.mailhive.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.config.Settings;

class MaterialLoaderTest {

    @TempDir
    Path dir;

    private KeyMaterial loadPem(String certPem, String keyPem, String password) throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        TestMaterial.writeFile(cert, certPem);
        TestMaterial.writeFile(key, keyPem);
        TlsSettings s = TlsSettings.from(new Settings(Map.of("ssl_cert", cert.toString(), "ssl_key", key.toString(),
                "ssl_key_password", password)), dir);
        return MaterialLoader.load(s);
    }

    @Test
    void pkcs8RsaKey() throws Exception {
        TestMaterial t = TestMaterial.rsa("pkcs8.test");
        String keyPem = t.pkcs8KeyPem();
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), keyPem);
        KeyMaterial m = loadPem(t.certPem(), keyPem, "");
        assertEquals(t.cert, m.certificate());
        assertEquals("RSA", m.key().getAlgorithm());
    }

    @Test
    void pkcs1RsaKey() throws Exception {
        TestMaterial t = TestMaterial.rsa("pkcs1.test");
        String keyPem = t.traditionalKeyPem();
        assertTrue(keyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), keyPem);
        KeyMaterial m = loadPem(t.certPem(), keyPem, "");
        assertEquals(t.cert, m.certificate());
        assertTrue(java.util.Arrays.equals(t.pair.getPrivate().getEncoded(), m.key().getEncoded()));
    }

    @Test
    void sec1EcKeyAfterEcParameters() throws Exception {
        TestMaterial t = TestMaterial.ec("ec.test");
        String keyPem = t.traditionalKeyPem();
        assertTrue(keyPem.startsWith("-----BEGIN EC PRIVATE KEY-----"), keyPem);
        // openssl ecparam -genkey writes the curve name first
        String withParams = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + keyPem;
        KeyMaterial m = loadPem(t.certPem(), withParams, "");
        assertEquals("EC", m.key().getAlgorithm());
        assertEquals(t.cert, m.certificate());
    }

    @Test
    void encryptedPkcs8KeyNeedsItsPassword() throws Exception {
        TestMaterial t = TestMaterial.rsa("enc.test");
        String keyPem = t.encryptedPkcs8KeyPem("s3cret".toCharArray());
        assertTrue(keyPem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), keyPem);
        assertEquals(t.cert, loadPem(t.certPem(), keyPem, "s3cret").certificate());

        var noPassword = assertThrows(MaterialLoader.LoadException.class, () -> loadPem(t.certPem(), keyPem, ""));
        assertTrue(noPassword.getMessage().contains("ssl_key_password is empty"), noPassword.getMessage());
        var wrong = assertThrows(MaterialLoader.LoadException.class, () -> loadPem(t.certPem(), keyPem, "nope"));
        assertTrue(wrong.getMessage().contains("k.pem"), wrong.getMessage());
    }

    @Test
    void legacyEncryptedTraditionalKeys() throws Exception {
        TestMaterial rsa = TestMaterial.rsa("legacy.test");
        String rsaPem = rsa.legacyEncryptedKeyPem("pw".toCharArray());
        assertTrue(rsaPem.startsWith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED"), rsaPem);
        assertEquals(rsa.cert, loadPem(rsa.certPem(), rsaPem, "pw").certificate());

        TestMaterial ec = TestMaterial.ec("legacy-ec.test");
        String ecPem = ec.legacyEncryptedKeyPem("pw".toCharArray());
        assertTrue(ecPem.startsWith("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED"), ecPem);
        assertEquals(ec.cert, loadPem(ec.certPem(), ecPem, "pw").certificate());
        assertThrows(MaterialLoader.LoadException.class, () -> loadPem(ec.certPem(), ecPem, "wrong"));
    }

    @Test
    void mismatchedKeyIsRefusedNamingTheKeyFile() throws Exception {
        TestMaterial a = TestMaterial.rsa("a.test");
        TestMaterial b = TestMaterial.rsa("b.test");
        var e = assertThrows(MaterialLoader.LoadException.class, () -> loadPem(a.certPem(), b.pkcs8KeyPem(), ""));
        assertTrue(e.getMessage().contains("k.pem") && e.getMessage().contains("does not match"), e.getMessage());

        TestMaterial ec = TestMaterial.ec("c.test");
        var kind = assertThrows(MaterialLoader.LoadException.class, () -> loadPem(a.certPem(), ec.pkcs8KeyPem(), ""));
        assertTrue(kind.getMessage().contains("EC"), kind.getMessage());
    }

    @Test
    void truncatedFilesAreErrorsNotCrashes() throws Exception {
        TestMaterial t = TestMaterial.rsa("half.test");
        String cert = t.certPem();
        String key = t.pkcs8KeyPem();
        assertThrows(MaterialLoader.LoadException.class, () -> loadPem(cert.substring(0, cert.length() / 2), key, ""));
        assertThrows(MaterialLoader.LoadException.class, () -> loadPem(cert, key.substring(0, key.length() / 2), ""));
        assertThrows(MaterialLoader.LoadException.class, () -> loadPem(cert, "", ""));
    }

    @Test
    void chainKeepsItsOrder() throws Exception {
        TestMaterial leaf = TestMaterial.rsa("leaf.test");
        TestMaterial other = TestMaterial.rsa("intermediate.test");
        KeyMaterial m = loadPem(leaf.certPem() + other.certPem(), leaf.pkcs8KeyPem(), "");
        assertEquals(2, m.chain().size());
        assertEquals(leaf.cert, m.chain().get(0));
        assertEquals(other.cert, m.chain().get(1));
    }

    @Test
    void pkcs12Keystore() throws Exception {
        TestMaterial t = TestMaterial.ec("store.test");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", TestMaterial.rsa("unrelated.test").cert);
        ks.setKeyEntry("mail", t.pair.getPrivate(), "pw".toCharArray(), new X509Certificate[] {t.cert});
        Path file = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, "pw".toCharArray());
        }
        TlsSettings s = TlsSettings.from(new Settings(Map.of("ssl_keystore", "server.p12",
                "ssl_keystore_password", "pw")), dir);
        assertEquals(file, s.keystore());
        KeyMaterial m = MaterialLoader.load(s);
        assertEquals(t.cert, m.certificate());

        TlsSettings wrong = TlsSettings.from(new Settings(Map.of("ssl_keystore", file.toString(),
                "ssl_keystore_password", "bad")), dir);
        var e = assertThrows(MaterialLoader.LoadException.class, () -> MaterialLoader.load(wrong));
        assertTrue(e.getMessage().contains("server.p12"), e.getMessage());
    }
}
