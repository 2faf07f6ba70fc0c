package org.mailhive.api.mail;

/** RFC 5321/6531 path and mailbox syntax. Pure functions over a string. */
final class AddressParser {

    private AddressParser() {
    }

    static MailAddress parsePath(String path, boolean allowNull) {
        String p = path.trim();
        if (p.length() < 2 || p.charAt(0) != '<' || p.charAt(p.length() - 1) != '>') {
            throw new IllegalArgumentException("path must be enclosed in <>");
        }
        int start = 1;
        int end = p.length() - 1;
        if (start == end) {
            if (!allowNull) {
                throw new IllegalArgumentException("null path not allowed here");
            }
            return MailAddress.NULL_SENDER;
        }
        if (p.charAt(start) == '@') {
            // A-d-l: "@one,@two:" — skip it, but only outside a quoted local part
            int colon = p.indexOf(':', start);
            if (colon < 0 || colon > end) {
                throw new IllegalArgumentException("source route without ':'");
            }
            for (String hop : p.substring(start, colon).split(",", -1)) {
                if (hop.length() < 2 || hop.charAt(0) != '@' || !isDomain(hop.substring(1))) {
                    throw new IllegalArgumentException("bad source route");
                }
            }
            start = colon + 1;
        }
        return parseMailbox(p, start, end, false);
    }

    static MailAddress parseMailbox(String s, int start, int end, boolean trim) {
        if (trim) {
            while (start < end && s.charAt(start) == ' ') start++;
            while (end > start && s.charAt(end - 1) == ' ') end--;
        }
        if (start >= end) {
            throw new IllegalArgumentException("empty address");
        }
        int at;
        String local;
        if (s.charAt(start) == '"') {
            int i = start + 1;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= end) throw new IllegalArgumentException("unterminated quoted local part");
                char c = s.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= end) throw new IllegalArgumentException("bad quoted pair");
                    char q = s.charAt(i + 1);
                    if (q < 32 || q == 127) throw new IllegalArgumentException("control character in address");
                    sb.append(q);
                    i += 2;
                    continue;
                }
                if (c == '"') break;
                if (c < 32 || c == 127) throw new IllegalArgumentException("control character in address");
                sb.append(c);
                i++;
            }
            at = i + 1;
            if (at >= end || s.charAt(at) != '@') throw new IllegalArgumentException("missing @ after quoted local part");
            local = "\"" + s.substring(start + 1, i) + "\"";
            if (sb.length() == 0) throw new IllegalArgumentException("empty local part");
        } else {
            at = s.lastIndexOf('@', end - 1);
            if (at < start) throw new IllegalArgumentException("missing @domain");
            local = s.substring(start, at);
            if (!isDotString(local)) throw new IllegalArgumentException("bad local part");
        }
        if (local.length() > MailAddress.MAX_LOCAL_PART) throw new IllegalArgumentException("local part too long");
        String domain = s.substring(at + 1, end);
        if (domain.length() > MailAddress.MAX_DOMAIN) throw new IllegalArgumentException("domain too long");
        if (!isDomain(domain) && !isAddressLiteral(domain)) throw new IllegalArgumentException("bad domain");
        return new MailAddress(local, domain);
    }

    static boolean isDotString(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128) continue; // RFC 6531 UTF-8 local parts
            if (Character.isLetterOrDigit(c) || c == '.' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0) continue;
            return false;
        }
        return true;
    }

    /** A domain name; a single trailing dot (root) is tolerated and later removed. */
    static boolean isDomain(String d) {
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (d.isEmpty()) return false;
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) return false;
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c >= 128) continue; // U-labels (RFC 6531)
                if (!(Character.isLetterOrDigit(c) || c == '-')) return false;
            }
        }
        return true;
    }

    static boolean isAddressLiteral(String d) {
        if (d.length() < 3 || d.charAt(0) != '[' || d.charAt(d.length() - 1) != ']') return false;
        String inner = d.substring(1, d.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            return !v6.isEmpty() && v6.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = inner.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) return false;
            if (Integer.parseInt(part) > 255) return false;
        }
        return true;
    }
}
