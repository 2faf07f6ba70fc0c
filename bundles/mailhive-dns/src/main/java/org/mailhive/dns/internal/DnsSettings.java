package org.mailhive.dns.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.config.Settings;
import org.xbill.DNS.Address;

/** The resolver's configuration, read and checked as a whole so a bad key never half-applies. */
record DnsSettings(List<InetSocketAddress> nameservers, Duration timeout, int retries, boolean cache) {

    static final int DNS_PORT = 53;
    static final DnsSettings DEFAULTS = new DnsSettings(List.of(), Duration.ofSeconds(5), 2, true);

    DnsSettings {
        nameservers = List.copyOf(nameservers);
    }

    /** Reads every key; problems are collected in {@code s}, and the defaults stand in for bad values. */
    static DnsSettings read(Settings s) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String entry : s.list("nameservers", List.of())) {
            try {
                servers.add(parseServer(entry));
            } catch (IllegalArgumentException e) {
                s.problem("nameservers", e.getMessage());
            }
        }
        Duration timeout = s.duration("dns_timeout", DEFAULTS.timeout());
        if (timeout.isZero()) {
            s.problem("dns_timeout", "must be at least 1s");
            timeout = DEFAULTS.timeout();
        }
        int retries = s.integer("dns_retries", DEFAULTS.retries(), 0, 10);
        boolean cache = s.bool("dns_cache", DEFAULTS.cache());
        return new DnsSettings(servers, timeout, retries, cache);
    }

    /**
     * {@code 192.0.2.1}, {@code 192.0.2.1:5353}, {@code 2001:db8::1}, {@code [2001:db8::1]:5353}.
     * Only literals: the name of a name server would itself need DNS.
     */
    static InetSocketAddress parseServer(String text) {
        String host = text;
        int port = DNS_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("missing ] in \"" + text + "\"");
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("bad server \"" + text + "\"");
                port = parsePort(rest.substring(1), text);
            }
        } else {
            int colon = text.indexOf(':');
            // more than one colon without brackets is a bare IPv6 address
            if (colon >= 0 && colon == text.lastIndexOf(':')) {
                host = text.substring(0, colon);
                port = parsePort(text.substring(colon + 1), text);
            }
        }
        try {
            InetAddress address = Address.getByAddress(host);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
        }
    }

    private static int parsePort(String port, String text) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw new IllegalArgumentException("port out of range in \"" + text + "\"");
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + text + "\"");
        }
    }
}
