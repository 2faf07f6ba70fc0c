package org.mailhive.net;

import java.util.Map;
import org.mailhive.api.config.Settings;

/** The name of a listener configured by a factory configuration, e.g. for its log lines and threads. */
public final class ListenerNames {

    private ListenerNames() {
    }

    /**
     * The part after '~' of the configuration's file name or PID
     * ({@code org.mailhive.smtp.listener~mta.cfg} and {@code org.mailhive.smtp.listener~mta} give
     * {@code mta}), else the key {@code name}, else {@code fallback}.
     */
    public static String of(Map<String, ?> props, String fallback) {
        for (String key : new String[] {Settings.SOURCE_FILE, "service.pid"}) {
            Object v = props.get(key);
            if (v == null) continue;
            String s = v.toString();
            s = s.substring(s.lastIndexOf('/') + 1);
            if (s.endsWith(".cfg")) s = s.substring(0, s.length() - 4);
            if (s.endsWith(".config")) s = s.substring(0, s.length() - 7);
            int tilde = s.indexOf('~');
            if (tilde >= 0 && tilde < s.length() - 1) return s.substring(tilde + 1);
        }
        Object n = props.get("name");
        return n == null || n.toString().isBlank() ? fallback : n.toString().trim();
    }
}
