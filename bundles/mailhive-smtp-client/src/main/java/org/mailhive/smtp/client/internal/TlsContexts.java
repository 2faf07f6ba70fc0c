package org.mailhive.smtp.client.internal;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mailhive.api.tls.TlsContextProvider;

/**
 * TLS for outgoing sessions at levels may and encrypt. Neither verifies the peer's certificate,
 * as in Postfix: an MX found through plain DNS cannot be authenticated anyway, and refusing a
 * self-signed certificate would only push the mail to plaintext. Protocol versions and cipher
 * suites come from the TLS bundle when it is present.
 */
record TlsContexts(SSLContext context, List<String> protocols, List<String> cipherSuites) {

    private static final TrustManager TRUST_ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // client side only: never asked
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // opportunistic TLS: encryption without authentication, see the class comment
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private static volatile SSLContext shared;

    static TlsContexts unverified(TlsContextProvider provider) throws GeneralSecurityException {
        SSLContext ctx = shared;
        if (ctx == null) {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ANY}, null);
            shared = ctx;
        }
        if (provider == null) return new TlsContexts(ctx, List.of(), List.of());
        return new TlsContexts(ctx, provider.enabledProtocols(), provider.enabledCipherSuites());
    }
}
