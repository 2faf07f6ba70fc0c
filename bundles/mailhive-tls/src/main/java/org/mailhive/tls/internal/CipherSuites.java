package org.mailhive.tls.internal;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** What this JDK can offer, and the default choice among it. */
final class CipherSuites {

    static final String TLS12 = "TLSv1.2";
    static final String TLS13 = "TLSv1.3";

    /**
     * Forward-secret AEAD suites only. Server certificates may be RSA or ECDSA, so both
     * signature flavours of each ECDHE suite are listed.
     */
    static final List<String> DEFAULT = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private static final Set<String> SUPPORTED_SUITES;
    private static final Set<String> SUPPORTED_PROTOCOLS;

    static {
        try {
            var params = SSLContext.getDefault().getSupportedSSLParameters();
            SUPPORTED_SUITES = Set.of(params.getCipherSuites());
            SUPPORTED_PROTOCOLS = Set.of(params.getProtocols());
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CipherSuites() {
    }

    static boolean supported(String suite) {
        return SUPPORTED_SUITES.contains(suite);
    }

    /** TLS 1.3 suites have no key exchange in their name; they are useless on a TLS 1.2 connection and vice versa. */
    static boolean isTls13Suite(String suite) {
        return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    }

    static List<String> filterSupported(List<String> suites) {
        List<String> out = new ArrayList<>();
        for (String s : suites) {
            if (supported(s) && !out.contains(s)) out.add(s);
        }
        return out;
    }

    /** Newest first; never anything older than TLS 1.2, whatever the JDK would still allow. */
    static List<String> protocolsFrom(String minProtocol) {
        List<String> wanted = TLS13.equals(minProtocol) ? List.of(TLS13) : List.of(TLS13, TLS12);
        return wanted.stream().filter(SUPPORTED_PROTOCOLS::contains).toList();
    }
}
