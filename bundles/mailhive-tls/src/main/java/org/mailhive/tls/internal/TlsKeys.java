package org.mailhive.tls.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.tls.TlsContextProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS key and certificate from {@code org.mailhive.tls}. A background check every
 * {@link #POLL_INTERVAL} picks up replaced files; material that fails to load (half written,
 * key not matching) is logged and the last good context stays in service.
 */
@Component(service = TlsContextProvider.class, configurationPid = "org.mailhive.tls")
@Designate(ocd = TlsConfig.class)
public final class TlsKeys implements TlsContextProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TlsKeys.class);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    /** A context together with what it was built from. */
    private record Loaded(KeyMaterial material, SSLContext context) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerIdentity identity;

    private final Clock clock;
    private final Supplier<String> fallbackHost;

    private volatile TlsSettings settings;
    private volatile Loaded loaded;
    private volatile SSLContext client;
    private Path dataDir;                 // guarded by this
    private FileStamp lastAttempt;        // guarded by this
    private ScheduledExecutorService poller;

    public TlsKeys() {
        this(Clock.systemUTC(), TlsKeys::systemHostName);
    }

    TlsKeys(Clock clock, Supplier<String> fallbackHost) {
        this.clock = clock;
        this.fallbackHost = fallbackHost;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        String data = context.getProperty("mailhive.data");
        start(data == null || data.isBlank() ? Paths.get("data").toAbsolutePath() : Paths.get(data), properties);
        ScheduledExecutorService p = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailhive-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = POLL_INTERVAL.toMillis();
        p.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
        poller = p;
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService p = poller;
        if (p != null) p.shutdownNow();
        poller = null;
    }

    /** Starts without the background poller; tests drive {@link #checkForChanges()} themselves. */
    synchronized void start(Path dataDirectory, Map<String, Object> properties) {
        this.dataDir = dataDirectory;
        configure(properties);
    }

    @Modified
    synchronized void configure(Map<String, Object> properties) {
        Settings s = new Settings(properties);
        TlsSettings next = TlsSettings.from(s, dataDir);
        if (!s.ok()) {
            s.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            if (settings != null) return;
            next = TlsSettings.from(new Settings(Map.of()), dataDir);
        }
        settings = next;
        reload();
    }

    void setIdentity(ServerIdentity id) {
        this.identity = id;
    }

    /** Reloads when the watched files' content differs from the last attempt; true when it tried. */
    synchronized boolean checkForChanges() {
        TlsSettings s = settings;
        if (s == null) return false;
        if (FileStamp.of(s.watchedFiles()).equals(lastAttempt)) return false;
        reload();
        return true;
    }

    private void pollQuietly() {
        try {
            checkForChanges();
        } catch (RuntimeException e) {
            // an exception would cancel the scheduled task and silently end reloading
            LOG.error("checking the TLS files failed: {}", e.toString(), e);
        }
    }

    private void reload() {
        TlsSettings s = settings;
        if (!s.usesKeystore() && s.generateSelfSigned()) generateIfAbsent(s);
        // stamp before reading: a change during the read is seen by the next check
        lastAttempt = FileStamp.of(s.watchedFiles());
        Loaded previous = loaded;
        try {
            KeyMaterial m = MaterialLoader.load(s);
            loaded = new Loaded(m, m.serverContext());
            LOG.info("TLS certificate loaded from {}: {}", s.usesKeystore() ? s.keystore() : s.cert(), m.describe());
            warnAboutCertificate(m);
        } catch (MaterialLoader.LoadException | GeneralSecurityException | RuntimeException e) {
            LOG.error("TLS material not loaded: {} ({})", e.getMessage(), previous == null
                    ? "TLS is unavailable until this is fixed" : "keeping the certificate loaded before");
        }
    }

    private void generateIfAbsent(TlsSettings s) {
        boolean cert = Files.exists(s.cert());
        boolean key = Files.exists(s.key());
        if (cert != key) {
            LOG.error("{} exists but {} does not: no self-signed certificate is generated while either file exists",
                    cert ? s.cert() : s.key(), cert ? s.key() : s.cert());
        }
        if (cert || key) return;
        String host = hostname();
        try {
            KeyMaterial m = SelfSigned.generate(host, clock.instant());
            SelfSigned.write(m, s.cert(), s.key());
            LOG.warn("no certificate at {} and no key at {}: generated a self-signed certificate for {}",
                    s.cert(), s.key(), host);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // e.g. a myhostname that is not a valid DNS name for the subjectAltName
            LOG.error("cannot create a self-signed certificate at {} / {}: {}", s.cert(), s.key(), e.getMessage());
        }
    }

    private void warnAboutCertificate(KeyMaterial m) {
        X509Certificate c = m.certificate();
        if (m.chain().size() == 1 && c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            LOG.warn("a self-signed TLS certificate is in use ({}); clients will not trust it without pinning — "
                    + "set ssl_cert and ssl_key in org.mailhive.tls.cfg to a CA-issued certificate", c.getSubjectX500Principal());
        }
        Instant now = clock.instant();
        Instant notAfter = c.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            LOG.error("the TLS certificate expired at {}", notAfter);
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            LOG.warn("the TLS certificate expires at {}", notAfter);
        }
    }

    private String hostname() {
        ServerIdentity id = identity;
        String h = id == null ? null : id.myhostname();
        if (h == null || h.isBlank()) h = fallbackHost.get();
        return h == null || h.isBlank() ? "localhost" : h;
    }

    private static String systemHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }

    /** The material behind {@link #serverContext()}, or null when none could be loaded. */
    KeyMaterial current() {
        Loaded l = loaded;
        return l == null ? null : l.material();
    }

    /**
     * @throws IllegalStateException when no certificate could be loaded at all: callers treat it as
     *         "TLS temporarily unavailable" (SMTP 454 4.7.0), the log already says why
     */
    @Override
    public SSLContext serverContext() {
        Loaded l = loaded;
        if (l == null) {
            throw new IllegalStateException("no TLS certificate is loaded (see the org.mailhive.tls log lines)");
        }
        return l.context();
    }

    @Override
    public SSLContext clientContext() {
        SSLContext c = client;
        if (c == null) {
            try {
                c = SSLContext.getInstance("TLS");
                c.init(null, null, null);   // the JDK's default trust store, no client certificate
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
            }
            client = c;
        }
        return c;
    }

    @Override
    public List<String> enabledProtocols() {
        TlsSettings s = settings;
        return s == null ? CipherSuites.protocolsFrom(CipherSuites.TLS12) : s.protocols();
    }

    @Override
    public List<String> enabledCipherSuites() {
        TlsSettings s = settings;
        return s == null ? CipherSuites.filterSupported(CipherSuites.DEFAULT) : s.cipherSuites();
    }
}
