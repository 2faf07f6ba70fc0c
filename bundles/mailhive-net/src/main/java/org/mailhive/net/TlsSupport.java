package org.mailhive.net;

import java.util.List;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.filter.ssl.DisableEncryptWriteRequest;
import org.apache.mina.filter.ssl.SslFilter;
import org.mailhive.api.tls.TlsContextProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Server-side TLS on a MINA session: implicit (SMTPS, POP3S) and upgraded (STARTTLS, STLS). */
public final class TlsSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSupport.class);
    /** The SslFilter's name in a session's chain. */
    public static final String FILTER = "ssl";

    private TlsSupport() {
    }

    /**
     * The TLS filter for one connection: server mode, protocols and cipher suites from the
     * provider.
     *
     * @return null (logged, naming {@code listener}) when the provider gives no usable context
     */
    public static SslFilter serverFilter(TlsContextProvider tls, String listener) {
        try {
            SslFilter filter = new SslFilter(tls.serverContext());
            List<String> protocols = tls.enabledProtocols();
            if (protocols != null && !protocols.isEmpty()) filter.setEnabledProtocols(protocols.toArray(String[]::new));
            List<String> ciphers = tls.enabledCipherSuites();
            if (ciphers != null && !ciphers.isEmpty()) filter.setEnabledCipherSuites(ciphers.toArray(String[]::new));
            return filter;
        } catch (RuntimeException e) {
            LOG.error("listener {}: the TLS provider gave no usable server context", listener, e);
            return null;
        }
    }

    /**
     * Puts TLS under a new session before any byte is read (call from sessionCreated).
     *
     * @param tls may be null
     * @return false when no usable provider is present; the caller refuses the connection
     */
    public static boolean wrap(IoSession session, TlsContextProvider tls, String listener) {
        SslFilter filter = tls == null ? null : serverFilter(tls, listener);
        if (filter == null) return false;
        session.getFilterChain().addFirst(FILTER, filter);
        return true;
    }

    /**
     * Upgrades an open session: sends {@code plaintextReply} (the protocol's "go ahead") in clear,
     * then speaks TLS. The filter goes in first, so the client's handshake, sent once it has read
     * the reply, cannot slip past it; the reply itself is marked to pass unencrypted.
     *
     * @param tls may be null
     * @return false when no usable provider is present; nothing was written
     */
    public static boolean startTls(IoSession session, TlsContextProvider tls, byte[] plaintextReply) {
        if (tls == null) return false;
        SslFilter filter = serverFilter(tls, String.valueOf(session.getLocalAddress()));
        if (filter == null) return false;
        session.getFilterChain().addFirst(FILTER, filter);
        session.getFilterChain().fireFilterWrite(new PlainWrite(IoBuffer.wrap(plaintextReply)));
        return true;
    }

    /** "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256", or null while the session is not secured. */
    public static String describe(IoSession session) {
        Object secured = session.getAttribute(SslFilter.SSL_SECURED);
        if (!(secured instanceof SSLSession ssl)) return null;
        return ssl.getProtocol() + " with cipher " + ssl.getCipherSuite();
    }

    /** A write that the SslFilter lets through unencrypted. */
    private static final class PlainWrite extends DefaultWriteRequest implements DisableEncryptWriteRequest {
        PlainWrite(IoBuffer message) {
            super(message);
        }
    }
}
