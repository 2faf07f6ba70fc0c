package org.mailhive.policy.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Small pure helpers on domains and client addresses shared by the checks. */
final class Domains {

    private Domains() {
    }

    static boolean isAddressLiteral(String domain) {
        return domain.startsWith("[") && domain.endsWith("]");
    }

    /**
     * Fully qualified as Postfix means it: an address literal, or a name with at least one dot
     * whose last label is not numeric (so {@code 192.0.2.1} without brackets is not a domain).
     * The address parser already checked the label syntax.
     */
    static boolean isFullyQualified(String domain) {
        if (domain.isEmpty()) return false;
        if (isAddressLiteral(domain)) return true;
        int dot = domain.lastIndexOf('.');
        if (dot <= 0 || dot == domain.length() - 1) return false;
        return !domain.substring(dot + 1).chars().allMatch(Character::isDigit);
    }

    /** The DNSBL query name prefix: {@code 2.0.0.127} for 127.0.0.2, 32 nibbles for IPv6. */
    static String reversed(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                if (sb.length() > 0) sb.append('.');
                sb.append(b[i] & 0xff);
            }
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                if (sb.length() > 0) sb.append('.');
                sb.append(Character.forDigit(b[i] & 0x0f, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0x0f, 16));
            }
        }
        return sb.toString();
    }

    /** The address as Postfix logs it: dotted quad, or IPv6 with the longest zero run as "::". */
    static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address.getHostAddress();
        byte[] b = address.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }
}
