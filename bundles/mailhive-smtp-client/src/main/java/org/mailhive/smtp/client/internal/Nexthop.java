package org.mailhive.smtp.client.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A Postfix next hop: {@code domain}, {@code domain:port} (MX lookup) or {@code [host]},
 * {@code [host]:port} (no MX lookup, as Postfix's brackets mean). {@code host} is without brackets
 * and, for an address literal, without the {@code IPv6:} tag.
 */
record Nexthop(String host, int port, boolean mxLookup) {

    /** @throws IllegalArgumentException with a reason */
    static Nexthop parse(String text, int defaultPort) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) throw new IllegalArgumentException("empty next hop");
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 2) throw new IllegalArgumentException("unbalanced [] in \"" + text + "\"");
            String host = t.substring(1, close);
            if (host.startsWith("ipv6:")) host = host.substring(5);
            String rest = t.substring(close + 1);
            int port = defaultPort;
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("junk after ] in \"" + text + "\"");
                port = port(rest.substring(1), text);
            }
            checkHost(host, text);
            return new Nexthop(host, port, false);
        }
        int colon = t.lastIndexOf(':');
        String host = t;
        int port = defaultPort;
        if (colon >= 0) {
            host = t.substring(0, colon);
            port = port(t.substring(colon + 1), text);
        }
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        checkHost(host, text);
        return new Nexthop(host, port, true);
    }

    private static int port(String p, String text) {
        try {
            int n = Integer.parseInt(p);
            if (n >= 1 && n <= 65535) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad port in \"" + text + "\"");
    }

    private static void checkHost(String host, String text) {
        if (host.isEmpty()) throw new IllegalArgumentException("empty host in \"" + text + "\"");
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == ':' || c == '_')) {
                throw new IllegalArgumentException("bad host name in \"" + text + "\"");
            }
        }
    }

    /** The address when the host is an IP literal (parsed, never looked up), else null. */
    InetAddress literal() {
        boolean v4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = host.indexOf(':') >= 0 && host.matches("[0-9a-f:.]+");
        if (!v4 && !v6) return null;
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Key of the connection cache: connections are shared per next hop, as Postfix's scache does. */
    String key() {
        return (mxLookup ? host : "[" + host + "]") + ":" + port;
    }
}
