package org.mailhive.rewrite.internal;

/**
 * A Postfix transport value {@code transport[:nexthop]}; an empty next hop means "the
 * recipient's domain" for remote transports.
 */
record Transport(String name, String nexthop) {

    static Transport parse(String value) {
        String v = value.trim();
        int colon = v.indexOf(':');
        String name = colon < 0 ? v : v.substring(0, colon);
        String hop = colon < 0 ? "" : v.substring(colon + 1);
        if (name.isEmpty()) throw new IllegalArgumentException("empty transport name in \"" + value + "\"");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.')) {
                throw new IllegalArgumentException("bad transport name \"" + name + "\"");
            }
        }
        for (int i = 0; i < hop.length(); i++) {
            if (hop.charAt(i) <= ' ') throw new IllegalArgumentException("bad next hop in \"" + value + "\"");
        }
        return new Transport(name, hop);
    }

    String nexthopOr(String fallback) {
        return nexthop.isEmpty() ? fallback : nexthop;
    }
}
