package org.mailhive.dns.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailhive.api.dns.DnsException;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.dns.MxRecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * One immutable resolver built from one configuration: a dnsjava {@link LookupSession} (which
 * follows CNAME chains and fills the cache) over an {@link ExtendedResolver}, with every answer
 * translated to the API's types so dnsjava never leaks out. Reconfiguring builds a new instance.
 */
final class Lookups implements DnsResolver {

    private final LookupSession session;
    private final DnsSettings settings;
    private final Executor executor;

    Lookups(DnsSettings settings, Executor executor) {
        this.settings = settings;
        this.executor = executor;
        LookupSession.LookupSessionBuilder builder = LookupSession.builder()
                .resolver(resolver(settings))
                .executor(executor);
        if (settings.cache()) builder.cache(new Cache(DClass.IN));
        this.session = builder.build();
    }

    DnsSettings settings() {
        return settings;
    }

    private static Resolver resolver(DnsSettings settings) {
        List<InetSocketAddress> servers = settings.nameservers();
        if (servers.isEmpty()) {
            // re-read resolv.conf on every reconfiguration, so touching the .cfg picks up a change
            ResolverConfig.refresh();
            servers = ResolverConfig.getCurrentConfig().servers();
        }
        int attempts = settings.retries() + 1;
        // Each try gets its share of the overall limit so that every server is asked at least once.
        long perTry = Math.max(200, settings.timeout().toMillis() / ((long) attempts * Math.max(1, servers.size())));
        List<Resolver> simple = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            simple.add(new SimpleResolver(server));
        }
        ExtendedResolver extended = new ExtendedResolver(simple);
        for (Resolver r : extended.getResolvers()) {
            r.setTimeout(java.time.Duration.ofMillis(perTry));
        }
        extended.setRetries(attempts);
        extended.setTimeout(settings.timeout());
        // ask the servers in the configured order, as resolv.conf does
        extended.setLoadBalance(false);
        return extended;
    }

    @Override
    public CompletionStage<List<MxRecord>> mx(String domain) {
        return query(domain, Type.MX, r -> r instanceof MXRecord mx
                ? new MxRecord(mx.getPriority(), text(mx.getTarget()))
                : null);
    }

    @Override
    public CompletionStage<List<InetAddress>> addresses(String host) {
        CompletableFuture<List<InetAddress>> v4 = query(host, Type.A, Lookups::address);
        CompletableFuture<List<InetAddress>> v6 = query(host, Type.AAAA, Lookups::address);
        return CompletableFuture.allOf(v4, v6)
                .handle((ignored, ex) -> ex)
                .thenCompose(ignored -> merge(v4, v6));
    }

    /**
     * Any address found wins; otherwise a temporary failure of either family outranks NXDOMAIN,
     * so that a flaky server never turns into "domain not found".
     */
    private static CompletableFuture<List<InetAddress>> merge(CompletableFuture<List<InetAddress>> v4,
            CompletableFuture<List<InetAddress>> v6) {
        List<InetAddress> found = new ArrayList<>();
        DnsException temporary = null;
        DnsException notFound = null;
        for (CompletableFuture<List<InetAddress>> f : List.of(v4, v6)) {
            try {
                found.addAll(f.get());
            } catch (ExecutionException e) {
                DnsException d = (DnsException) e.getCause();
                if (d.isTemporary()) temporary = d; else notFound = d;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                temporary = new DnsException("interrupted", true);
            }
        }
        if (!found.isEmpty()) return CompletableFuture.completedFuture(List.copyOf(found));
        if (temporary != null) return CompletableFuture.failedFuture(temporary);
        if (notFound != null) return CompletableFuture.failedFuture(notFound);
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<List<InetAddress>> ipv4(String name) {
        return query(name, Type.A, Lookups::address);
    }

    @Override
    public CompletionStage<List<String>> txt(String name) {
        return query(name, Type.TXT, r -> r instanceof TXTRecord t ? String.join("", t.getStrings()) : null);
    }

    @Override
    public CompletionStage<List<String>> ptr(InetAddress address) {
        return query(ReverseMap.fromAddress(address), Type.PTR,
                r -> r instanceof PTRRecord p ? text(p.getTarget()) : null);
    }

    private <T> CompletableFuture<List<T>> query(String text, int type, Function<Record, T> convert) {
        Name name;
        try {
            if (text == null || text.isBlank()) throw new TextParseException("empty name");
            name = Name.fromString(text.trim(), Name.root);
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(new DnsException("invalid name \"" + text + "\": " + e.getMessage(), false));
        }
        return query(name, type, convert);
    }

    private <T> CompletableFuture<List<T>> query(Name name, int type, Function<Record, T> convert) {
        CompletableFuture<List<T>> out = new CompletableFuture<>();
        String what = text(name) + "/" + Type.string(type);
        // The resolver has its own limit; this one also bounds CNAME chains and anything unforeseen.
        // It runs on the common pool, not on our executor, so it still fires after a shutdown.
        CompletableFuture.delayedExecutor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> out.completeExceptionally(new DnsException(what + ": timed out", true)));
        CompletionStage<LookupResult> lookup;
        try {
            lookup = session.lookupAsync(name, type);
        } catch (RuntimeException e) {
            out.completeExceptionally(new DnsException(what + ": " + e, true));
            return out;
        }
        lookup.whenComplete((result, failure) -> {
            if (failure == null) {
                List<T> values = new ArrayList<>();
                for (Record r : result.getRecords()) {
                    T v = r.getType() == type ? convert.apply(r) : null;
                    if (v != null) values.add(v);
                }
                out.complete(List.copyOf(values));
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof NoSuchRRSetException) {
                out.complete(List.of());
            } else if (cause instanceof NoSuchDomainException) {
                out.completeExceptionally(new DnsException(what + ": no such domain", false));
            } else {
                // SERVFAIL, REFUSED, timeouts, network errors, broken zones: try again later
                out.completeExceptionally(new DnsException(what + ": " + describe(cause), true));
            }
        });
        return out;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    /** A record's address without the host name dnsjava attaches, so it prints as a bare literal. */
    private static InetAddress address(Record r) {
        InetAddress a;
        if (r instanceof ARecord ar) {
            a = ar.getAddress();
        } else if (r instanceof AAAARecord aaaa) {
            a = aaaa.getAddress();
        } else {
            return null;
        }
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Lower case, no trailing dot; the root (null MX target) is "". */
    static String text(Name name) {
        if (name.equals(Name.root)) return "";
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
