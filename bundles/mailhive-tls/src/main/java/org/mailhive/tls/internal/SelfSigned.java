package org.mailhive.tls.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate an embedded install starts with, so STARTTLS works before an operator has
 * a real one. Files are only ever created, never replaced.
 */
final class SelfSigned {

    static final Duration VALIDITY = Duration.ofDays(3653);
    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");

    private SelfSigned() {
    }

    /** An RSA 2048 key (the type every client still accepts) and a certificate for {@code hostname}. */
    static KeyMaterial generate(String hostname, Instant now) throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        // a 159-bit positive serial: unique enough and within RFC 5280's 20-octet limit
        BigInteger serial = new BigInteger(159, new SecureRandom()).setBit(0);
        Date notBefore = Date.from(now.minus(Duration.ofHours(1)));   // tolerate clients with a slow clock
        Date notAfter = Date.from(ZonedDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(10).toInstant());
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial, notBefore, notAfter, name,
                    pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            b.addExtension(Extension.subjectAlternativeName, false, altNames(hostname));
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            return new KeyMaterial(pair.getPrivate(), List.of(cert));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames altNames(String hostname) {
        GeneralName host = new GeneralName(GeneralName.dNSName, hostname);
        GeneralName localhost = new GeneralName(GeneralName.dNSName, "localhost");
        GeneralName loopback = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        GeneralName[] names = "localhost".equalsIgnoreCase(hostname)
                ? new GeneralName[] {localhost, loopback}
                : new GeneralName[] {host, localhost, loopback};
        return new GeneralNames(names);
    }

    /**
     * Writes the key (mode 0600 from its creation, never readable by others even briefly)
     * and then the certificate, each to a temporary name and renamed into place.
     */
    static void write(KeyMaterial m, Path certFile, Path keyFile) throws IOException {
        String key;
        String cert;
        try {
            key = pem("PRIVATE KEY", m.key().getEncoded());
            cert = pem("CERTIFICATE", m.certificate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the generated certificate: " + e.getMessage(), e);
        }
        createAtomically(keyFile, key, true);
        createAtomically(certFile, cert, false);
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void createAtomically(Path target, String text, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attrs = secret && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(KEY_MODE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attrs);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC)) {
                out.write(text.getBytes(StandardCharsets.US_ASCII));
            }
            if (!secret && posix) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            // without REPLACE_EXISTING: a file that appeared meanwhile is kept, never overwritten
            Files.move(tmp, target);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(target + " appeared while generating; keeping it", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
