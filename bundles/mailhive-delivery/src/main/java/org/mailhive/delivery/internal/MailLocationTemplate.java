package org.mailhive.delivery.internal;

import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.users.MailUser;

/**
 * A Dovecot {@code mail_location} with variables: {@code %u} the user name, {@code %n} its local
 * part, {@code %d} its domain, {@code %%} a percent sign, and {@code ~} at the start of the path
 * or of an option value ({@code INBOX=~/mbox}) the user's home.
 */
final class MailLocationTemplate {

    /** A location that cannot be built for this user: a temporary problem of the configuration or the user's entry. */
    static final class LocationException extends Exception {
        private static final long serialVersionUID = 1L;

        LocationException(String message) {
            super(message);
        }
    }

    private MailLocationTemplate() {
    }

    static MailboxLocation expand(String template, MailUser user) throws LocationException {
        int colon = template.indexOf(':');
        if (colon <= 0) throw new LocationException("mail location needs format:path, got \"" + template + "\"");
        String format = template.substring(0, colon);
        String rest = template.substring(colon + 1);
        String[] parts = rest.split(":", -1);
        StringBuilder withHome = new StringBuilder(rest.length() + 32);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            // ~ starts the path, or the value of an option such as INBOX=~/mbox
            int at = i == 0 ? 0 : part.indexOf('=') + 1;
            if (i > 0) withHome.append(':');
            if (at >= 0 && startsWithHome(part, at)) {
                String home = user.home();
                if (home == null || home.isEmpty()) {
                    throw new LocationException("user " + user.name() + " has no home directory for " + template);
                }
                withHome.append(part, 0, at).append(home).append(part, at + 1, part.length());
            } else {
                withHome.append(part);
            }
        }
        String expanded = substitute(withHome.toString(), user);
        MailboxLocation location;
        try {
            location = MailboxLocation.parse(format + ":" + expanded);
        } catch (IllegalArgumentException e) {
            throw new LocationException(e.getMessage());
        }
        if (!location.root().startsWith("/")) {
            throw new LocationException("mail location is not an absolute path: " + location.root());
        }
        return location;
    }

    private static boolean startsWithHome(String s, int at) {
        return s.length() > at && s.charAt(at) == '~' && (s.length() == at + 1 || s.charAt(at + 1) == '/');
    }

    private static String substitute(String s, MailUser user) throws LocationException {
        StringBuilder sb = new StringBuilder(s.length() + 32);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= s.length()) throw new LocationException("'%' at the end of " + s);
            char v = s.charAt(++i);
            switch (v) {
                case 'u' -> sb.append(user.name());
                case 'n' -> sb.append(user.localPart());
                case 'd' -> sb.append(user.domain());
                case '%' -> sb.append('%');
                default -> throw new LocationException("unknown variable %" + v + " in " + s);
            }
        }
        return sb.toString();
    }

    /**
     * Why a local part or domain must not become part of a path, or null when it may: it could
     * climb out of the mail root or split into several directories.
     */
    static String unsafeName(String name) {
        if (name.equals(".") || name.contains("..")) return "contains '..'";
        if (name.indexOf('/') >= 0) return "contains '/'";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) return "contains a control character";
        }
        return null;
    }
}
