package org.mailhive.smtp.client.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.dns.DnsException;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.dns.MxRecord;
import org.mailhive.api.mail.EnhancedStatus;

/**
 * Turns a next hop into the hosts to try, in order (RFC 5321 section 5.1): MX records by
 * preference, equal preferences shuffled, the domain's own addresses when there is no MX; hosts
 * that are this server and every MX not better than them are dropped, as Postfix does.
 */
final class Router {

    /** A DNS answer that never comes in this time is a temporary failure; the resolver has its own, shorter timeout. */
    static final long LOOKUP_LIMIT_SECONDS = 120;

    record Target(String host, InetAddress address, int port, int preference) {
    }

    /** No host to try: the recipients get this result. */
    static final class RouteFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final DeliveryStatus status;
        final EnhancedStatus dsn;

        RouteFailure(DeliveryStatus status, EnhancedStatus dsn, String reason) {
            super(reason);
            this.status = status;
            this.dsn = dsn;
        }
    }

    private final Predicate<InetAddress> isLocalAddress;
    private final Random random;

    Router(Predicate<InetAddress> isLocalAddress, Random random) {
        this.isLocalAddress = isLocalAddress;
        this.random = random;
    }

    List<Target> route(Nexthop hop, DnsResolver dns, String myhostname) throws RouteFailure {
        InetAddress literal = hop.literal();
        if (literal != null) {
            Target t = new Target(hop.host(), literal, hop.port(), 0);
            if (isSelf(t)) throw loop(hop.host());
            return List.of(t);
        }
        if (dns == null) {
            throw new RouteFailure(DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 4, 3),
                    "DNS resolver not available for " + hop.host());
        }
        List<MxRecord> mx = hop.mxLookup()
                ? lookup(dns.mx(hop.host()).toCompletableFuture(), hop.host(), "MX") : List.of();
        for (MxRecord r : mx) {
            if (r.isNullMx()) {
                throw new RouteFailure(DeliveryStatus.BOUNCED, EnhancedStatus.of(5, 1, 10),
                        "Domain does not accept mail (null MX)");
            }
        }
        if (mx.isEmpty()) {
            List<InetAddress> addresses = lookup(dns.addresses(hop.host()).toCompletableFuture(), hop.host(), "A");
            if (addresses.isEmpty()) {
                throw new RouteFailure(DeliveryStatus.BOUNCED, EnhancedStatus.of(5, 4, 4),
                        "Host or domain name not found. Name service error for name=" + hop.host()
                                + " type=A: Host found but no data record of requested type");
            }
            List<Target> targets = new ArrayList<>();
            for (InetAddress a : addresses) targets.add(new Target(hop.host(), a, hop.port(), 0));
            if (hop.host().equalsIgnoreCase(myhostname) || targets.stream().anyMatch(this::isSelf)) {
                throw loop(hop.host());
            }
            return targets;
        }
        return fromMx(ordered(mx), hop, dns, myhostname);
    }

    private List<Target> fromMx(List<MxRecord> mx, Nexthop hop, DnsResolver dns, String myhostname)
            throws RouteFailure {
        // all address lookups at once: the MX hosts of one domain are usually answered together
        List<CompletableFuture<List<InetAddress>>> pending = new ArrayList<>();
        for (MxRecord r : mx) pending.add(dns.addresses(r.host()).toCompletableFuture());
        int selfPreference = Integer.MAX_VALUE;
        List<Target> targets = new ArrayList<>();
        RouteFailure lastFailure = null;
        for (int i = 0; i < mx.size(); i++) {
            MxRecord r = mx.get(i);
            if (r.preference() >= selfPreference) break;
            if (r.host().equalsIgnoreCase(myhostname)) {
                selfPreference = r.preference();
                break;
            }
            List<InetAddress> addresses;
            try {
                addresses = lookup(pending.get(i), r.host(), "A");
            } catch (RouteFailure f) {
                lastFailure = new RouteFailure(DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 4, 3), f.getMessage());
                continue;
            }
            if (addresses.isEmpty()) {
                lastFailure = new RouteFailure(DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 4, 3),
                        "Host or domain name not found. Name service error for name=" + r.host()
                                + " type=A: Host found but no data record of requested type");
            }
            for (InetAddress a : addresses) {
                Target t = new Target(r.host(), a, hop.port(), r.preference());
                if (isSelf(t)) {
                    selfPreference = r.preference();
                    break;
                }
                targets.add(t);
            }
        }
        final int cut = selfPreference;
        targets.removeIf(t -> t.preference() >= cut);
        if (!targets.isEmpty()) return targets;
        if (cut != Integer.MAX_VALUE) throw loop(hop.host());
        throw lastFailure != null ? lastFailure : temporary(hop.host(), "MX");
    }

    /** By preference, equal preferences in random order so that load spreads (RFC 5321 section 5.1). */
    List<MxRecord> ordered(List<MxRecord> records) {
        List<MxRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(MxRecord::preference));
        List<MxRecord> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).preference() == sorted.get(i).preference()) j++;
            List<MxRecord> group = new ArrayList<>(sorted.subList(i, j));
            Collections.shuffle(group, random);
            out.addAll(group);
            i = j;
        }
        return out;
    }

    /** Ourselves: only a local address on port 25 counts, so that test peers on loopback with other ports work. */
    private boolean isSelf(Target t) {
        return t.port() == 25 && isLocalAddress.test(t.address());
    }

    private static RouteFailure loop(String domain) {
        return new RouteFailure(DeliveryStatus.BOUNCED, EnhancedStatus.of(5, 4, 6),
                "mail for " + domain.toLowerCase(Locale.ROOT) + " loops back to myself");
    }

    private static <T> List<T> lookup(CompletableFuture<List<T>> future, String name, String type)
            throws RouteFailure {
        try {
            List<T> result = future.get(LOOKUP_LIMIT_SECONDS, TimeUnit.SECONDS);
            return result == null ? List.of() : result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw temporary(name, type);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw temporary(name, type);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof DnsException d && d.isNotFound()) {
                throw new RouteFailure(DeliveryStatus.BOUNCED, EnhancedStatus.of(5, 1, 2),
                        "Host or domain name not found. Name service error for name=" + name + " type=" + type
                                + ": Host not found");
            }
            throw temporary(name, type);
        }
    }

    private static RouteFailure temporary(String name, String type) {
        return new RouteFailure(DeliveryStatus.DEFERRED, EnhancedStatus.of(4, 4, 3),
                "Host or domain name not found. Name service error for name=" + name + " type=" + type
                        + ": Host not found, try again");
    }
}
