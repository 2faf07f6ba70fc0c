package org.mailhive.tls.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.config.Settings;

/** The parsed configuration of {@code org.mailhive.tls}; problems are collected in the given {@link Settings}. */
record TlsSettings(
        Path cert,
        Path key,
        char[] keyPassword,
        Path keystore,
        char[] keystorePassword,
        String keystoreType,
        List<String> protocols,
        List<String> cipherSuites,
        boolean generateSelfSigned) {

    boolean usesKeystore() {
        return keystore != null;
    }

    /** The files whose change triggers a reload. */
    List<Path> watchedFiles() {
        return usesKeystore() ? List.of(keystore) : List.of(cert, key);
    }

    static TlsSettings from(Settings s, Path dataDir) {
        Path tlsDir = dataDir.resolve("tls");
        Path cert = path(s.string("ssl_cert", ""), dataDir, tlsDir.resolve("server.crt"));
        Path key = path(s.string("ssl_key", ""), dataDir, tlsDir.resolve("server.key"));
        String keystoreText = s.string("ssl_keystore", "");
        Path keystore = keystoreText.isEmpty() ? null : path(keystoreText, dataDir, null);
        char[] keyPassword = s.string("ssl_key_password", "").toCharArray();
        char[] keystorePassword = s.string("ssl_keystore_password", "").toCharArray();
        String keystoreType = s.choice("ssl_keystore_type", "PKCS12", "PKCS12", "JKS");
        String minProtocol = s.choice("ssl_min_protocol", CipherSuites.TLS12, CipherSuites.TLS12, CipherSuites.TLS13);
        List<String> protocols = CipherSuites.protocolsFrom(minProtocol);
        if (protocols.isEmpty()) s.problem("ssl_min_protocol", "this Java runtime supports neither TLSv1.3 nor TLSv1.2");
        List<String> suites = cipherSuites(s, protocols);
        boolean generate = s.bool("ssl_generate_self_signed", true);
        return new TlsSettings(cert, key, keyPassword, keystore, keystorePassword, keystoreType,
                protocols, suites, generate);
    }

    private static List<String> cipherSuites(Settings s, List<String> protocols) {
        String text = s.string("ssl_cipher_list", "");
        List<String> wanted = new ArrayList<>();
        for (String name : text.split("[,:\\s]+")) {
            if (!name.isEmpty()) wanted.add(name);
        }
        if (wanted.isEmpty()) return CipherSuites.filterSupported(CipherSuites.DEFAULT);
        List<String> unknown = wanted.stream().filter(n -> !CipherSuites.supported(n)).toList();
        if (!unknown.isEmpty()) {
            s.problem("ssl_cipher_list", "not supported by this Java runtime (use IANA names such as "
                    + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256): " + String.join(", ", unknown));
            return List.of();
        }
        List<String> usable = CipherSuites.filterSupported(wanted);
        boolean only13 = !protocols.contains(CipherSuites.TLS12);
        if (only13 && usable.stream().noneMatch(CipherSuites::isTls13Suite)) {
            s.problem("ssl_cipher_list", "ssl_min_protocol is TLSv1.3 but no TLS 1.3 suite is listed");
        }
        return usable;
    }

    /** Dovecot writes {@code ssl_cert = </path}; the {@code <} means "file" there and is optional here. */
    private static Path path(String text, Path base, Path fallback) {
        String t = text.trim();
        if (t.startsWith("<")) t = t.substring(1).trim();
        if (t.isEmpty()) return fallback;
        return base.resolve(t).normalize();
    }
}
