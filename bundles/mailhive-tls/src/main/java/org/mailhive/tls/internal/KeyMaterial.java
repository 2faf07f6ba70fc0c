package org.mailhive.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A private key with its certificate chain, checked to belong together. */
record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    private static final char[] IN_MEMORY_PASSWORD = "mailhive".toCharArray();

    KeyMaterial {
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate");
        chain = List.copyOf(chain);
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Proves the key belongs to the certificate by signing with one and verifying with the
     * other: comparing encodings would miss nothing for RSA but needs per-algorithm code.
     */
    void checkMatches() throws GeneralSecurityException {
        PublicKey pub = certificate().getPublicKey();
        if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
            throw new GeneralSecurityException("private key is " + key.getAlgorithm()
                    + " but the certificate's public key is " + pub.getAlgorithm());
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(alg);
        signer.initSign(key);
        signer.update(probe);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance(alg);
        verifier.initVerify(pub);
        verifier.update(probe);
        if (!verifier.verify(sig)) {
            throw new GeneralSecurityException("private key does not match the certificate's public key");
        }
    }

    /** A TLS context serving this key; the JDK's key manager over an in-memory keystore. */
    SSLContext serverContext() throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, IN_MEMORY_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot build the in-memory keystore: " + e.getMessage(), e);
        }
    }

    /** For log lines: subject, expiry and fingerprint identify the certificate an operator installed. */
    String describe() {
        X509Certificate c = certificate();
        String fingerprint;
        try {
            fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            fingerprint = "?";
        }
        return "subject=\"" + c.getSubjectX500Principal().getName() + "\", key=" + key.getAlgorithm()
                + ", not after " + c.getNotAfter().toInstant() + ", chain length " + chain.size()
                + ", SHA-256 " + fingerprint;
    }
}
