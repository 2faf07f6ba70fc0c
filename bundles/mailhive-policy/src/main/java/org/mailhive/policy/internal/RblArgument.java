package org.mailhive.policy.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The argument of reject_rbl_client: {@code zone} or, as in Postfix, {@code zone=filter} where the
 * filter is an IPv4 answer whose octets are numbers, ranges or lists:
 * {@code 127.0.0.2}, {@code 127.0.0.[2..11]}, {@code 127.0.0.[2;4;10..11]}.
 * Without a filter any answer in 127.0.0.0/24 lists the client; other answers (such as the
 * 127.255.255.x error codes some lists return to refused resolvers) do not.
 */
record RblArgument(String zone, List<BitSet> filter) {

    static RblArgument parse(String argument) {
        if (argument == null || argument.isBlank()) throw new IllegalArgumentException("missing DNSBL zone");
        String a = argument.trim();
        int eq = a.indexOf('=');
        String zone = (eq < 0 ? a : a.substring(0, eq)).toLowerCase(Locale.ROOT);
        if (zone.endsWith(".")) zone = zone.substring(0, zone.length() - 1);
        if (!zone.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+")) {
            throw new IllegalArgumentException("not a DNSBL zone: \"" + argument + "\"");
        }
        if (eq < 0) return new RblArgument(zone, null);
        List<String> octets = octets(a.substring(eq + 1));
        if (octets.size() != 4) throw new IllegalArgumentException("filter needs four octets: \"" + argument + "\"");
        List<BitSet> filter = new ArrayList<>();
        for (String octet : octets) filter.add(octet(octet, argument));
        return new RblArgument(zone, List.copyOf(filter));
    }

    /** Splits at the dots between octets, not at the ".." of a range inside brackets. */
    private static List<String> octets(String filter) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == '.' && depth == 0) {
                out.add(filter.substring(start, i));
                start = i + 1;
            }
        }
        out.add(filter.substring(start));
        return out;
    }

    private static BitSet octet(String text, String argument) {
        BitSet set = new BitSet(256);
        String body = text;
        if (text.startsWith("[") && text.endsWith("]") && text.length() > 2) {
            body = text.substring(1, text.length() - 1);
        } else if (!text.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("bad filter octet \"" + text + "\" in \"" + argument + "\"");
        }
        for (String part : body.split(";", -1)) {
            int range = part.indexOf("..");
            int from = number(range < 0 ? part : part.substring(0, range), argument);
            int to = range < 0 ? from : number(part.substring(range + 2), argument);
            if (from > to) throw new IllegalArgumentException("empty range \"" + part + "\" in \"" + argument + "\"");
            set.set(from, to + 1);
        }
        return set;
    }

    private static int number(String text, String argument) {
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > 255) {
            throw new IllegalArgumentException("bad filter octet \"" + text + "\" in \"" + argument + "\"");
        }
        return Integer.parseInt(text);
    }

    boolean lists(InetAddress answer) {
        if (!(answer instanceof Inet4Address)) return false;
        byte[] b = answer.getAddress();
        if (filter == null) return (b[0] & 0xff) == 127 && b[1] == 0 && b[2] == 0;
        for (int i = 0; i < 4; i++) {
            if (!filter.get(i).get(b[i] & 0xff)) return false;
        }
        return true;
    }
}
