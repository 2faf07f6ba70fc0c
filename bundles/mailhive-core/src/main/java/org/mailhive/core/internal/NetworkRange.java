package org.mailhive.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One mynetworks entry: {@code 127.0.0.0/8}, {@code [::1]/128}, {@code ::1/128} or a bare address.
 * Parsing never does a DNS lookup (only IP literals are accepted).
 */
record NetworkRange(byte[] network, int prefix, String text) {

    static NetworkRange parse(String text) {
        String t = text.trim();
        String addr = t;
        int prefix = -1;
        int slash = t.lastIndexOf('/');
        if (slash >= 0) {
            addr = t.substring(0, slash);
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in \"" + text + "\"");
            }
        }
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        byte[] bytes = literal(addr, text);
        int max = bytes.length * 8;
        if (prefix < 0) prefix = max;
        if (prefix > max) throw new IllegalArgumentException("prefix /" + prefix + " too long in \"" + text + "\"");
        byte[] net = bytes.clone();
        mask(net, prefix);
        if (!java.util.Arrays.equals(net, bytes)) {
            // Postfix warns about host bits too; accepting the network keeps the operator's intent
            bytes = net;
        }
        return new NetworkRange(bytes, prefix, t);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            a = mapped(a, network.length);
            if (a == null) return false;
        }
        byte[] masked = a.clone();
        mask(masked, prefix);
        return java.util.Arrays.equals(masked, network);
    }

    /** IPv4-mapped IPv6 (::ffff:a.b.c.d) compares as IPv4, so dual-stack sockets match v4 ranges. */
    private static byte[] mapped(byte[] a, int wanted) {
        if (a.length == 16 && wanted == 4) {
            for (int i = 0; i < 10; i++) if (a[i] != 0) return null;
            if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) return null;
            return new byte[] {a[12], a[13], a[14], a[15]};
        }
        return null;
    }

    private static void mask(byte[] b, int prefix) {
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - bits));
        }
    }

    private static byte[] literal(String addr, String text) {
        boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) throw new IllegalArgumentException("not an IP address or network: \"" + text + "\"");
        if (v4) {
            for (String part : addr.split("\\.")) {
                if (Integer.parseInt(part) > 255) throw new IllegalArgumentException("bad IPv4 address in \"" + text + "\"");
            }
        }
        try {
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IP address in \"" + text + "\"");
        }
    }
}
