package org.mailhive.smtp.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.mailhive.net.ListenerNames;

/** One listener's configuration, read and checked as a whole; immutable so sessions keep a snapshot. */
record ListenerSettings(String name, String bind, int port, String banner, long messageSizeLimit,
        int lineLengthLimit, int recipientLimit, int hardErrorLimit, Duration timeout,
        List<Restriction> recipientRestrictions, boolean rejectUnlistedRecipient, int workerThreads,
        SessionPolicy policy) {

    static final int DEFAULT_PORT = 2525;
    static final String DEFAULT_BIND = "0.0.0.0";
    static final String DEFAULT_BANNER = "$myhostname ESMTP Mailhive";
    static final long DEFAULT_SIZE_LIMIT = 52_428_800L;
    static final int DEFAULT_LINE_LIMIT = 1000;
    static final int DEFAULT_RECIPIENT_LIMIT = 1000;
    static final int DEFAULT_HARD_ERROR_LIMIT = 20;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    static final String DEFAULT_RESTRICTIONS =
            "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination, reject_unknown_recipient";
    static final int DEFAULT_WORKERS = 16;
    /** The check smtpd_reject_unlisted_recipient applies after the list, as Postfix's reject_unlisted_recipient. */
    static final String UNLISTED_RECIPIENT_CHECK = "reject_unknown_recipient";

    /** Restrictions of which one must be present, or the listener would be an open relay. */
    private static final List<String> RELAY_GUARDS = List.of("reject_unauth_destination", "defer_unauth_destination",
            "reject");

    ListenerSettings {
        recipientRestrictions = List.copyOf(recipientRestrictions);
    }

    /** The embedded default port of a profile (production uses 25, 587, 465). */
    static int defaultPort(String profile) {
        return switch (profile) {
            case "submission" -> 2587;
            case "smtps" -> 2465;
            default -> DEFAULT_PORT;
        };
    }

    static ListenerSettings defaults(String name) {
        return new ListenerSettings(name, DEFAULT_BIND, defaultPort(SessionPolicy.defaultProfile(name)),
                DEFAULT_BANNER, DEFAULT_SIZE_LIMIT,
                DEFAULT_LINE_LIMIT, DEFAULT_RECIPIENT_LIMIT, DEFAULT_HARD_ERROR_LIMIT, DEFAULT_TIMEOUT,
                Restriction.parse(Settings.splitList(DEFAULT_RESTRICTIONS)), true, DEFAULT_WORKERS,
                SessionPolicy.defaults(SessionPolicy.defaultProfile(name)));
    }

    /** Reads every key; problems are collected in {@code s} and the defaults stand in for bad values. */
    static ListenerSettings read(Settings s, String name) {
        String bind = s.string("bind", DEFAULT_BIND);
        if (bind.isEmpty()) s.problem("bind", "empty address");
        int port = s.integer("port", DEFAULT_PORT, 0, 65535);
        String banner = s.string("smtpd_banner", DEFAULT_BANNER);
        if (banner.isEmpty() || banner.indexOf('\r') >= 0 || banner.indexOf('\n') >= 0) {
            s.problem("smtpd_banner", "must be one non-empty line");
            banner = DEFAULT_BANNER;
        }
        long size = s.size("message_size_limit", DEFAULT_SIZE_LIMIT);
        int line = s.integer("line_length_limit", DEFAULT_LINE_LIMIT, 512, 65536);
        int rcpts = s.integer("smtpd_recipient_limit", DEFAULT_RECIPIENT_LIMIT, 1, 1_000_000);
        int errors = s.integer("smtpd_hard_error_limit", DEFAULT_HARD_ERROR_LIMIT, 1, 10_000);
        Duration timeout = s.duration("smtpd_timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero()) {
            s.problem("smtpd_timeout", "must be longer than 0s");
            timeout = DEFAULT_TIMEOUT;
        }
        List<String> restrictions = s.list("smtpd_recipient_restrictions", Settings.splitList(DEFAULT_RESTRICTIONS));
        if (Restriction.parse(restrictions).stream().map(Restriction::name).noneMatch(RELAY_GUARDS::contains)) {
            s.problem("smtpd_recipient_restrictions",
                    "must contain reject_unauth_destination (or reject), else this listener is an open relay");
            restrictions = Settings.splitList(DEFAULT_RESTRICTIONS);
        }
        boolean unlisted = s.bool("smtpd_reject_unlisted_recipient", true);
        int workers = s.integer("smtpd_worker_threads", DEFAULT_WORKERS, 1, 1024);
        SessionPolicy policy = SessionPolicy.read(s, name);
        if (s.string("port", "").isEmpty()) port = defaultPort(policy.profile());
        return new ListenerSettings(name, bind, port, banner, size, line, rcpts, errors, timeout,
                Restriction.parse(restrictions), unlisted, workers, policy);
    }

    /**
     * The listener name: the part after '~' of the factory configuration's PID or file name
     * ({@code org.mailhive.smtp.listener~mta.cfg} gives {@code mta}), else the key {@code name}.
     */
    static String listenerName(Map<String, ?> props) {
        return ListenerNames.of(props, "smtp");
    }

    boolean sameAddress(ListenerSettings other) {
        return other != null && other.port == port && other.bind.equals(bind);
    }

    ListenerSettings withAddress(String newBind, int newPort) {
        return new ListenerSettings(name, newBind, newPort, banner, messageSizeLimit, lineLengthLimit, recipientLimit,
                hardErrorLimit, timeout, recipientRestrictions, rejectUnlistedRecipient, workerThreads, policy);
    }
}
