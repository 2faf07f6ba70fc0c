package org.mailhive.policy.internal;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.mailhive.api.dns.DnsException;

/**
 * The outcome of one DNS lookup awaited by a check: found, not found (NXDOMAIN) or a temporary
 * failure. Checks run on SMTP worker threads, so they may wait, but never longer than a bound.
 */
record DnsAnswer<T>(Kind kind, T value, String reason) {

    enum Kind { FOUND, NOT_FOUND, TEMPORARY }

    /** Upper bound of one wait in a check; the resolver itself normally answers within dns_timeout. */
    static final Duration WAIT = Duration.ofSeconds(10);

    boolean found() {
        return kind == Kind.FOUND;
    }

    boolean notFound() {
        return kind == Kind.NOT_FOUND;
    }

    boolean temporary() {
        return kind == Kind.TEMPORARY;
    }

    static <T> DnsAnswer<T> await(Supplier<CompletionStage<T>> lookup, Duration wait) {
        try {
            T value = lookup.get().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return new DnsAnswer<>(Kind.FOUND, value, "");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DnsException d) {
                return new DnsAnswer<>(d.isTemporary() ? Kind.TEMPORARY : Kind.NOT_FOUND, null, d.getMessage());
            }
            return new DnsAnswer<>(Kind.TEMPORARY, null, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return new DnsAnswer<>(Kind.TEMPORARY, null, "no answer within " + wait.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DnsAnswer<>(Kind.TEMPORARY, null, "interrupted");
        } catch (RuntimeException e) {
            // a resolver that throws instead of failing its stage is still only a lookup failure
            return new DnsAnswer<>(Kind.TEMPORARY, null, e.toString());
        }
    }
}
