package org.mailhive.policy.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mailhive.api.dns.DnsException;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.dns.MxRecord;

/**
 * A resolver answering from maps keyed by "type name" ({@code "A 2.0.0.127.zen.test"}); a name
 * it does not know is NXDOMAIN. Answers may also be failures or stages that never complete.
 */
final class FakeDns implements DnsResolver {

    private final Map<String, CompletableFuture<?>> answers = new ConcurrentHashMap<>();
    final List<String> asked = new CopyOnWriteArrayList<>();

    FakeDns answer(String type, String name, List<?> value) {
        answers.put(type + " " + name, CompletableFuture.completedFuture(value));
        return this;
    }

    FakeDns fail(String type, String name, boolean temporary) {
        answers.put(type + " " + name, CompletableFuture.failedFuture(new DnsException(name + ": test failure", temporary)));
        return this;
    }

    FakeDns hang(String type, String name) {
        answers.put(type + " " + name, new CompletableFuture<>());
        return this;
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> lookup(String type, String name) {
        String key = type + " " + name;
        asked.add(key);
        CompletableFuture<?> f = answers.get(key);
        if (f == null) return CompletableFuture.failedFuture(new DnsException(name + ": no such domain", false));
        return (CompletionStage<T>) f;
    }

    static InetAddress ip(String literal) {
        return Fakes.ip(literal);
    }

    @Override
    public CompletionStage<List<MxRecord>> mx(String domain) {
        return lookup("MX", domain);
    }

    @Override
    public CompletionStage<List<InetAddress>> addresses(String host) {
        return lookup("ADDR", host);
    }

    @Override
    public CompletionStage<List<InetAddress>> ipv4(String name) {
        return lookup("A", name);
    }

    @Override
    public CompletionStage<List<String>> txt(String name) {
        return lookup("TXT", name);
    }

    @Override
    public CompletionStage<List<String>> ptr(InetAddress address) {
        return lookup("PTR", address.getHostAddress());
    }
}
