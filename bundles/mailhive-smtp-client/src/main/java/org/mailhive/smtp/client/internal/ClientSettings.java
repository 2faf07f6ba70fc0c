package org.mailhive.smtp.client.internal;

import java.time.Duration;
import org.mailhive.api.config.Settings;

/** The configuration in force, immutable and swapped as a whole. */
record ClientSettings(int port, Nexthop relayhost, TlsLevel tlsLevel, boolean saslEnabled, String saslUsername,
        String saslPassword, String heloName, Duration connectTimeout, Duration heloTimeout, Duration mailTimeout,
        Duration rcptTimeout, Duration dataInitTimeout, Duration dataXferTimeout, Duration dataDoneTimeout,
        Duration rsetTimeout, Duration quitTimeout, Duration cacheTimeLimit) {

    enum TlsLevel { NONE, MAY, ENCRYPT }

    static final ClientSettings DEFAULTS = new ClientSettings(25, null, TlsLevel.MAY, false, "", "", "$myhostname",
            Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofSeconds(300),
            Duration.ofSeconds(120), Duration.ofSeconds(180), Duration.ofSeconds(600), Duration.ofSeconds(20),
            Duration.ofSeconds(300), Duration.ofSeconds(2));

    /** The same settings with another TLS level: the plaintext retry after a failed handshake. */
    ClientSettings withTlsLevel(TlsLevel level) {
        return new ClientSettings(port, relayhost, level, saslEnabled, saslUsername, saslPassword, heloName,
                connectTimeout, heloTimeout, mailTimeout, rcptTimeout, dataInitTimeout, dataXferTimeout,
                dataDoneTimeout, rsetTimeout, quitTimeout, cacheTimeLimit);
    }

    /** Reads every key; problems are collected in {@code s} and the caller keeps its old settings. */
    static ClientSettings read(Settings s) {
        ClientSettings d = DEFAULTS;
        int port = s.integer("smtp_port", d.port(), 1, 65535);
        Nexthop relay = null;
        String relayText = s.string("relayhost", "");
        if (!relayText.isEmpty()) {
            try {
                relay = Nexthop.parse(relayText, port);
            } catch (IllegalArgumentException e) {
                s.problem("relayhost", e.getMessage());
            }
        }
        TlsLevel level = TlsLevel.valueOf(s.choice("smtp_tls_security_level", "may", "none", "may", "encrypt")
                .toUpperCase(java.util.Locale.ROOT));
        boolean sasl = s.bool("smtp_sasl_auth_enable", false);
        String user = s.string("smtp_sasl_username", "");
        String password = s.string("smtp_sasl_password", "");
        if (sasl && user.isEmpty()) s.problem("smtp_sasl_username", "must be set when smtp_sasl_auth_enable = yes");
        String helo = s.string("smtp_helo_name", d.heloName());
        // an empty value in the shipped .cfg means "the default", as for every other key
        if (helo.isEmpty()) helo = d.heloName();
        if (helo.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            s.problem("smtp_helo_name", "must be a host name, got \"" + helo + "\"");
        }
        return new ClientSettings(port, relay, level, sasl, user, password, helo,
                positive(s, "smtp_connect_timeout", d.connectTimeout()),
                positive(s, "smtp_helo_timeout", d.heloTimeout()),
                positive(s, "smtp_mail_timeout", d.mailTimeout()),
                positive(s, "smtp_rcpt_timeout", d.rcptTimeout()),
                positive(s, "smtp_data_init_timeout", d.dataInitTimeout()),
                positive(s, "smtp_data_xfer_timeout", d.dataXferTimeout()),
                positive(s, "smtp_data_done_timeout", d.dataDoneTimeout()),
                positive(s, "smtp_rset_timeout", d.rsetTimeout()),
                positive(s, "smtp_quit_timeout", d.quitTimeout()),
                s.duration("smtp_connection_cache_time_limit", d.cacheTimeLimit()));
    }

    private static Duration positive(Settings s, String key, Duration fallback) {
        Duration v = s.duration(key, fallback);
        if (v.isZero()) {
            s.problem(key, "must be more than 0s");
            return fallback;
        }
        return v;
    }
}
