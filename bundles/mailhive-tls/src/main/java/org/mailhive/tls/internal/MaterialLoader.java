package org.mailhive.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads key material from PEM files or a keystore. Every failure is a {@link LoadException}
 * naming the file, so the log line tells the operator what to fix.
 */
final class MaterialLoader {

    /** Why loading failed, with the file it concerns. */
    static final class LoadException extends Exception {
        private static final long serialVersionUID = 1L;

        LoadException(Path file, String reason, Throwable cause) {
            super(file + ": " + reason, cause);
        }
    }

    private MaterialLoader() {
    }

    static KeyMaterial load(TlsSettings s) throws LoadException {
        KeyMaterial m = s.usesKeystore() ? fromKeystore(s) : fromPem(s.cert(), s.key(), s.keyPassword());
        try {
            m.checkMatches();
        } catch (GeneralSecurityException e) {
            Path where = s.usesKeystore() ? s.keystore() : s.key();
            throw new LoadException(where, e.getMessage(), e);
        }
        return m;
    }

    static KeyMaterial fromPem(Path certFile, Path keyFile, char[] password) throws LoadException {
        return new KeyMaterial(readKey(keyFile, password), readChain(certFile));
    }

    static List<X509Certificate> readChain(Path file) throws LoadException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            Object o;
            while ((o = pem.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) chain.add(converter.getCertificate(h));
            }
        } catch (IOException | RuntimeException e) {
            throw new LoadException(file, "cannot read the certificate chain: " + reason(e), e);
        } catch (GeneralSecurityException e) {
            throw new LoadException(file, "bad certificate: " + reason(e), e);
        }
        if (chain.isEmpty()) throw new LoadException(file, "no BEGIN CERTIFICATE block", null);
        return chain;
    }

    static PrivateKey readKey(Path file, char[] password) throws LoadException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            Object o;
            while ((o = pem.readObject()) != null) {
                // "BEGIN EC PARAMETERS" (an OID) often precedes an EC key; certificates may share the file
                if (o instanceof PEMKeyPair kp) {
                    // SEC1 keys may omit the public key, so only the private half is converted
                    return converter.getPrivateKey(kp.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair enc) {
                    requirePassword(file, password);
                    var decryptor = new JcePEMDecryptorProviderBuilder().setProvider(bc()).build(password);
                    return converter.getPrivateKey(enc.decryptKeyPair(decryptor).getPrivateKeyInfo());
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    requirePassword(file, password);
                    var decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc()).build(password);
                    return converter.getPrivateKey(enc.decryptPrivateKeyInfo(decryptor));
                }
            }
        } catch (PEMException | PKCSException e) {
            throw new LoadException(file, "cannot decode or decrypt the private key (wrong ssl_key_password?): "
                    + reason(e), e);
        } catch (IOException | OperatorCreationException | RuntimeException e) {
            throw new LoadException(file, "cannot read the private key: " + reason(e), e);
        }
        throw new LoadException(file, "no private key block (expected BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY "
                + "or BEGIN EC PRIVATE KEY)", null);
    }

    static KeyMaterial fromKeystore(TlsSettings s) throws LoadException {
        Path file = s.keystore();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(s.keystoreType());
            ks.load(in, s.keystorePassword());
            char[] keyPassword = s.keyPassword().length > 0 ? s.keyPassword() : s.keystorePassword();
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) continue;
                Key key = ks.getKey(alias, keyPassword);
                Certificate[] chain = ks.getCertificateChain(alias);
                if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0) continue;
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) certs.add((X509Certificate) c);
                return new KeyMaterial(pk, certs);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new LoadException(file, "cannot read the " + s.keystoreType() + " keystore: " + reason(e), e);
        }
        throw new LoadException(file, "no private key entry with a certificate chain", null);
    }

    private static void requirePassword(Path file, char[] password) throws LoadException {
        if (password == null || password.length == 0) {
            throw new LoadException(file, "the private key is encrypted but ssl_key_password is empty", null);
        }
    }

    /**
     * A private instance for decrypting keys: OpenSSL's PBE schemes are not all in the JDK, and
     * registering Bouncy Castle globally would change every other bundle's crypto.
     */
    private static Provider bc() {
        return BcHolder.PROVIDER;
    }

    private static final class BcHolder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private static String reason(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
