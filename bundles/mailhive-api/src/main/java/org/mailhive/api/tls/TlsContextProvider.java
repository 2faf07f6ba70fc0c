package org.mailhive.api.tls;

import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS keys and settings. Callers ask for the context each time they start a
 * handshake (never cache it), so a reloaded certificate applies to the next connection.
 */
@org.osgi.annotation.versioning.ProviderType
public interface TlsContextProvider {

    /** Context holding the current server certificate and key. */
    SSLContext serverContext();

    /** Context for outgoing connections (trusts the JDK's CAs; no client certificate). */
    SSLContext clientContext();

    /** Protocol versions to enable on every engine, e.g. TLSv1.3, TLSv1.2. */
    List<String> enabledProtocols();

    /** Cipher suites to enable on every engine, strongest first. */
    List<String> enabledCipherSuites();
}
