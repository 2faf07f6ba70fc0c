package org.mailhive.pop3.internal;

import java.time.Duration;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.mailhive.net.ListenerNames;

/** One listener's configuration, read and checked as a whole; immutable so sessions keep a snapshot. */
record ListenerSettings(String name, String bind, int port, boolean ssl, Duration timeout,
        boolean disablePlaintextAuth, int workerThreads, Duration authFailureDelay, int maxUserIpConnections) {

    static final int DEFAULT_PORT = 2110;
    static final int DEFAULT_SSL_PORT = 2995;
    static final String DEFAULT_BIND = "0.0.0.0";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final int DEFAULT_WORKERS = 8;
    static final Duration DEFAULT_AUTH_DELAY = Duration.ofSeconds(2);
    static final int DEFAULT_USERIP_CONNECTIONS = 10;

    static ListenerSettings defaults(String name) {
        boolean ssl = name.equals("pop3s");
        return new ListenerSettings(name, DEFAULT_BIND, ssl ? DEFAULT_SSL_PORT : DEFAULT_PORT, ssl, DEFAULT_TIMEOUT,
                true, DEFAULT_WORKERS, DEFAULT_AUTH_DELAY, DEFAULT_USERIP_CONNECTIONS);
    }

    /** Reads every key; problems are collected in {@code s} and defaults stand in for bad values. */
    static ListenerSettings read(Settings s, String name) {
        String bind = s.string("bind", DEFAULT_BIND);
        if (bind.isEmpty()) {
            s.problem("bind", "empty address");
            bind = DEFAULT_BIND;
        }
        boolean ssl = s.bool("ssl", false);
        int port = s.integer("port", ssl ? DEFAULT_SSL_PORT : DEFAULT_PORT, 0, 65535);
        Duration timeout = s.duration("pop3_timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero()) {
            s.problem("pop3_timeout", "must be longer than 0s");
            timeout = DEFAULT_TIMEOUT;
        }
        boolean disablePlaintext = s.bool("disable_plaintext_auth", true);
        int workers = s.integer("pop3_worker_threads", DEFAULT_WORKERS, 1, 1024);
        Duration delay = s.duration("auth_failure_delay", DEFAULT_AUTH_DELAY);
        if (delay.compareTo(Duration.ofMinutes(5)) > 0) {
            s.problem("auth_failure_delay", "must be at most 5m");
            delay = DEFAULT_AUTH_DELAY;
        }
        int userIp = s.integer("mail_max_userip_connections", DEFAULT_USERIP_CONNECTIONS, 1, 100_000);
        return new ListenerSettings(name, bind, port, ssl, timeout, disablePlaintext, workers, delay, userIp);
    }

    /**
     * The listener name: the part after '~' of the factory configuration's PID
     * ({@code org.mailhive.pop3.listener~pop3s}), else the key {@code name}, else "pop3".
     */
    static String listenerName(Map<String, ?> props) {
        return ListenerNames.of(props, "pop3");
    }

    boolean sameAddress(ListenerSettings other) {
        return other != null && other.port == port && other.bind.equals(bind);
    }

    ListenerSettings withAddress(String newBind, int newPort) {
        return new ListenerSettings(name, newBind, newPort, ssl, timeout, disablePlaintextAuth, workerThreads,
                authFailureDelay, maxUserIpConnections);
    }
}
