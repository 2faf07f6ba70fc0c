package org.mailhive.admin.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the metatype says about one PID or factory PID: its parameters in declaration order. */
public final class PidInfo {

    private final String pid;
    private final boolean factory;
    private final Map<String, Param> params = new LinkedHashMap<>();

    PidInfo(String pid, boolean factory) {
        this.pid = pid;
        this.factory = factory;
    }

    public String pid() {
        return pid;
    }

    public boolean factory() {
        return factory;
    }

    public Map<String, Param> params() {
        return Collections.unmodifiableMap(params);
    }

    public Param param(String key) {
        return params.get(key);
    }

    // several components may share one PID (policy checks do); the first declaration of a key wins
    void add(Param p) {
        params.putIfAbsent(p.id(), p);
    }
}
