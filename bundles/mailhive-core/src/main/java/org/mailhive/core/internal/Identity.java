package org.mailhive.core.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailhive.api.config.Settings;

/** An immutable, fully expanded identity; built from settings, or a list of problems. */
final class Identity {

    private static final Pattern REF = Pattern.compile("\\$(?:\\{([a-z_]+)\\}|([a-z_]+))");

    final String myhostname;
    final String mydomain;
    final String myorigin;
    final Set<String> mydestination;
    final List<NetworkRange> mynetworks;
    private final Map<String, String> params;

    private Identity(Map<String, String> params, Set<String> mydestination, List<NetworkRange> mynetworks) {
        this.params = params;
        this.myhostname = params.get("myhostname");
        this.mydomain = params.get("mydomain");
        this.myorigin = params.get("myorigin");
        this.mydestination = Set.copyOf(mydestination);
        this.mynetworks = List.copyOf(mynetworks);
    }

    /** Reads the settings; problems are recorded in {@code settings}. {@code systemHost} is used when myhostname is empty. */
    static Identity from(Settings settings, String systemHost) {
        Map<String, String> p = new LinkedHashMap<>();
        String host = settings.string("myhostname", "");
        if (host.isEmpty()) host = qualify(systemHost);
        host = host.toLowerCase(Locale.ROOT);
        if (!isHostname(host)) {
            settings.problem("myhostname", "not a host name: \"" + host + "\"");
            host = qualify(systemHost);
        }
        p.put("myhostname", host);
        String domain = settings.string("mydomain", "");
        if (domain.isEmpty()) {
            int dot = host.indexOf('.');
            domain = dot > 0 ? host.substring(dot + 1) : "localdomain";
        }
        p.put("mydomain", domain.toLowerCase(Locale.ROOT));
        p.put("myorigin", expand(settings.string("myorigin", "$myhostname"), p).toLowerCase(Locale.ROOT));

        Set<String> dest = new LinkedHashSet<>();
        for (String d : Settings.splitList(expand(settings.string("mydestination", "localhost, $myhostname"), p))) {
            String dd = d.toLowerCase(Locale.ROOT);
            if (dd.endsWith(".")) dd = dd.substring(0, dd.length() - 1);
            dest.add(dd);
        }
        p.put("mydestination", String.join(", ", dest));

        List<NetworkRange> nets = new java.util.ArrayList<>();
        for (String n : Settings.splitList(expand(settings.string("mynetworks", "127.0.0.0/8, [::1]/128"), p))) {
            try {
                nets.add(NetworkRange.parse(n));
            } catch (IllegalArgumentException e) {
                settings.problem("mynetworks", e.getMessage());
            }
        }
        p.put("mynetworks", String.join(", ", nets.stream().map(NetworkRange::text).toList()));
        return new Identity(p, dest, nets);
    }

    boolean inMynetworks(InetAddress client) {
        for (NetworkRange r : mynetworks) {
            if (r.contains(client)) return true;
        }
        return false;
    }

    String expand(String value) {
        return expand(value, params);
    }

    /** Expands $name and ${name}; unknown names are left as written so the operator sees them. */
    static String expand(String value, Map<String, String> params) {
        String current = value;
        // references may refer to values with references; bounded to stop cycles
        for (int round = 0; round < 5 && current.indexOf('$') >= 0; round++) {
            Matcher m = REF.matcher(current);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String v = params.get(name);
                m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
            }
            m.appendTail(sb);
            if (sb.toString().equals(current)) break;
            current = sb.toString();
        }
        return current;
    }

    static String qualify(String host) {
        String h = host == null || host.isBlank() ? "localhost" : host.trim().toLowerCase(Locale.ROOT);
        return h.indexOf('.') > 0 ? h : h + ".localdomain";
    }

    static boolean isHostname(String h) {
        return h.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    }
}
