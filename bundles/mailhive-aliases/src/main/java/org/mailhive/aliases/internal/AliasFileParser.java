package org.mailhive.aliases.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailhive.api.mail.MailAddress;

/**
 * Pure parsers for aliases(5), virtual(5) tables and the value lists of :include: and .forward
 * files. No I/O, no logging: callers pass lines and get tables with every error collected, so the
 * server and newaliases report the same {@code file:line: reason}.
 */
public final class AliasFileParser {

    private AliasFileParser() {
    }

    /** A logical line: continuation lines (leading white space) joined to the line they continue. */
    private record Logical(int line, String text) {
    }

    /** {@code name: value, value} entries. */
    public static AliasTable parseAliases(String file, List<String> lines) {
        Map<String, List<AliasValue>> entries = new LinkedHashMap<>();
        List<AliasSyntaxException> errors = new ArrayList<>();
        for (Logical l : logicalLines(file, lines, errors)) {
            int colon = nameEnd(l.text());
            if (colon < 0) {
                errors.add(new AliasSyntaxException(file, l.line(), "missing colon after alias name"));
                continue;
            }
            String name = unquote(l.text().substring(0, colon).trim());
            if (name.isEmpty()) {
                errors.add(new AliasSyntaxException(file, l.line(), "empty alias name"));
                continue;
            }
            addEntry(file, l, name.toLowerCase(Locale.ROOT), l.text().substring(colon + 1), true, entries, errors);
        }
        return new AliasTable(file, entries, errors);
    }

    /**
     * virtual(5): {@code address  value, value} or {@code @domain  value}. Only addresses and
     * names: files and commands from a virtual map would run for any domain's sender.
     */
    public static AliasTable parseVirtual(String file, List<String> lines) {
        Map<String, List<AliasValue>> entries = new LinkedHashMap<>();
        List<AliasSyntaxException> errors = new ArrayList<>();
        for (Logical l : logicalLines(file, lines, errors)) {
            String t = l.text().trim();
            int sp = 0;
            while (sp < t.length() && !Character.isWhitespace(t.charAt(sp))) sp++;
            String key = t.substring(0, sp).toLowerCase(Locale.ROOT);
            if (sp == t.length()) {
                errors.add(new AliasSyntaxException(file, l.line(), "empty value for \"" + key + "\""));
                continue;
            }
            if (key.startsWith("@")) {
                if (key.length() == 1 || key.indexOf('@', 1) >= 0) {
                    errors.add(new AliasSyntaxException(file, l.line(), "bad address \"" + key + "\""));
                    continue;
                }
            } else {
                try {
                    key = MailAddress.parse(key).lookupKey();
                } catch (IllegalArgumentException e) {
                    errors.add(new AliasSyntaxException(file, l.line(), "bad address \"" + key + "\": " + e.getMessage()));
                    continue;
                }
            }
            int before = errors.size();
            addEntry(file, l, key, t.substring(sp), false, entries, errors);
            if (errors.size() > before) continue;
            for (AliasValue v : entries.getOrDefault(key, List.of())) {
                if (v.kind() != AliasValue.Kind.ADDRESS && v.kind() != AliasValue.Kind.NAME) {
                    entries.remove(key);
                    errors.add(new AliasSyntaxException(file, l.line(),
                            "only addresses are allowed in a virtual alias map, not \"" + v.text() + "\""));
                    break;
                }
            }
        }
        return new AliasTable(file, entries, errors);
    }

    /** The values of an :include: or .forward file: one or more per line, comma separated. */
    public static List<AliasValue> parseValues(String file, List<String> lines, List<AliasSyntaxException> errors) {
        List<AliasValue> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            splitValues(file, i + 1, t, out, errors);
        }
        return out;
    }

    private static void addEntry(String file, Logical l, String key, String rhs, boolean checkEmpty,
            Map<String, List<AliasValue>> entries, List<AliasSyntaxException> errors) {
        if (entries.containsKey(key)) {
            errors.add(new AliasSyntaxException(file, l.line(), "duplicate name \"" + key + "\""));
            return;
        }
        List<AliasValue> values = new ArrayList<>();
        int before = errors.size();
        splitValues(file, l.line(), rhs, values, errors);
        if (errors.size() > before) return;
        if (values.isEmpty()) {
            errors.add(new AliasSyntaxException(file, l.line(), "empty value for \"" + key + "\""));
            return;
        }
        entries.put(key, List.copyOf(values));
    }

    private static List<Logical> logicalLines(String file, List<String> lines, List<AliasSyntaxException> errors) {
        List<Logical> out = new ArrayList<>();
        StringBuilder cur = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String t = raw.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            if (Character.isWhitespace(raw.charAt(0))) {
                if (cur == null) {
                    errors.add(new AliasSyntaxException(file, i + 1, "continuation line without an entry before it"));
                } else {
                    cur.append(' ').append(t);
                }
                continue;
            }
            if (cur != null) out.add(new Logical(start, cur.toString()));
            cur = new StringBuilder(t);
            start = i + 1;
        }
        if (cur != null) out.add(new Logical(start, cur.toString()));
        return out;
    }

    /** Index of the colon ending the (possibly quoted) name, or -1. */
    private static int nameEnd(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ':' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static void splitValues(String file, int line, String rhs, List<AliasValue> out,
            List<AliasSyntaxException> errors) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < rhs.length(); i++) {
            char c = rhs.charAt(i);
            if (c == '\\' && quoted && i + 1 < rhs.length()) {
                cur.append(c).append(rhs.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            errors.add(new AliasSyntaxException(file, line, "unterminated quote"));
            return;
        }
        parts.add(cur.toString());
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i).trim();
            if (p.isEmpty()) {
                // "a, b," is common in hand-edited files and harmless
                if (i == parts.size() - 1 && i > 0) continue;
                if (parts.size() == 1) return;
                errors.add(new AliasSyntaxException(file, line, "empty value in list"));
                return;
            }
            try {
                out.add(classify(p, line));
            } catch (IllegalArgumentException e) {
                errors.add(new AliasSyntaxException(file, line, e.getMessage()));
                return;
            }
        }
    }

    static AliasValue classify(String token, int line) {
        String t = token;
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = unquote(t).trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty value in list");
        if (t.startsWith("|")) {
            String cmd = t.substring(1).trim();
            if (cmd.isEmpty()) throw new IllegalArgumentException("empty command after \"|\"");
            return new AliasValue(AliasValue.Kind.COMMAND, cmd, line);
        }
        if (t.startsWith("/")) return new AliasValue(AliasValue.Kind.FILE, t, line);
        if (t.regionMatches(true, 0, ":include:", 0, 9)) {
            String path = t.substring(9).trim();
            if (!path.startsWith("/")) throw new IllegalArgumentException("include path must be absolute: \"" + path + "\"");
            return new AliasValue(AliasValue.Kind.INCLUDE, path, line);
        }
        if (t.startsWith("\\")) {
            String user = t.substring(1).trim();
            checkName(user, token);
            return new AliasValue(AliasValue.Kind.MAILBOX, user, line);
        }
        if (t.indexOf('@') >= 0 || t.startsWith("\"")) {
            try {
                return new AliasValue(AliasValue.Kind.ADDRESS, MailAddress.parse(token.trim()).toString(), line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad address \"" + token + "\": " + e.getMessage());
            }
        }
        checkName(t, token);
        return new AliasValue(AliasValue.Kind.NAME, t, line);
    }

    private static void checkName(String name, String token) {
        if (name.isEmpty()) throw new IllegalArgumentException("bad address \"" + token + "\": empty name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 127 || "\"<>()[],;:@\\".indexOf(c) >= 0) {
                throw new IllegalArgumentException("bad address \"" + token + "\"");
            }
        }
    }

    private static String unquote(String s) {
        if (s.length() < 2 || !s.startsWith("\"") || !s.endsWith("\"")) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) c = s.charAt(++i);
            b.append(c);
        }
        return b.toString();
    }
}
