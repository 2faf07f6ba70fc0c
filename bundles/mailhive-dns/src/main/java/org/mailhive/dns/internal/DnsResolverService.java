package org.mailhive.dns.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailhive.api.config.Settings;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.dns.MxRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DnsResolver} service. A configuration change builds a complete new {@link Lookups}
 * and swaps it in one write: lookups already under way finish on the old one.
 */
@Component(service = DnsResolver.class, configurationPid = "org.mailhive.dns")
@Designate(ocd = DnsConfig.class)
public final class DnsResolverService implements DnsResolver {

    private static final Logger LOG = LoggerFactory.getLogger(DnsResolverService.class);

    private final ExecutorService executor = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mailhive-dns-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private volatile Lookups lookups;

    /** Public so that tests of other bundles can drive the resolver without a DS runtime. */
    @Activate
    @Modified
    public void configure(Map<String, Object> props) {
        Settings s = new Settings(props);
        DnsSettings wanted = DnsSettings.read(s);
        Lookups previous = lookups;
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::error);
            if (previous != null) return;
            wanted = DnsSettings.DEFAULTS;
        }
        if (previous != null && previous.settings().equals(wanted)) return;
        lookups = new Lookups(wanted, executor);
        LOG.info("DNS resolver: servers {}, timeout {}s, retries {}, cache {}",
                wanted.nameservers().isEmpty() ? "from resolv.conf" : wanted.nameservers(),
                wanted.timeout().toSeconds(), wanted.retries(), wanted.cache() ? "yes" : "no");
    }

    @Deactivate
    public void close() {
        executor.shutdown();
    }

    @Override
    public CompletionStage<List<MxRecord>> mx(String domain) {
        return lookups.mx(domain);
    }

    @Override
    public CompletionStage<List<InetAddress>> addresses(String host) {
        return lookups.addresses(host);
    }

    @Override
    public CompletionStage<List<InetAddress>> ipv4(String name) {
        return lookups.ipv4(name);
    }

    @Override
    public CompletionStage<List<String>> txt(String name) {
        return lookups.txt(name);
    }

    @Override
    public CompletionStage<List<String>> ptr(InetAddress address) {
        return lookups.ptr(address);
    }
}
