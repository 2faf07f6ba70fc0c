package org.mailhive.smtp.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.mailhive.api.config.Settings;

/**
 * The TLS, AUTH, connection and restriction-list keys of a listener. A {@code profile} (mta,
 * submission, smtps; by default the listener's name when it is one of these) gives the defaults
 * that Postfix's master.cf would give that service; each key may still override them.
 */
record SessionPolicy(String profile, boolean wrapperMode, String tlsSecurityLevel, boolean saslAuthEnable,
        boolean tlsAuthOnly, boolean authRequired, Duration authFailureDelay, int authFailureLimit,
        int connectionCountLimit, List<Restriction> clientRestrictions, List<Restriction> heloRestrictions,
        List<Restriction> senderRestrictions) {

    static final String NONE = "none";
    static final String MAY = "may";
    static final String ENCRYPT = "encrypt";
    static final Duration DEFAULT_AUTH_DELAY = Duration.ofSeconds(2);
    static final int DEFAULT_AUTH_LIMIT = 5;
    static final int DEFAULT_CONNECTION_LIMIT = 50;

    SessionPolicy {
        clientRestrictions = List.copyOf(clientRestrictions);
        heloRestrictions = List.copyOf(heloRestrictions);
        senderRestrictions = List.copyOf(senderRestrictions);
    }

    static SessionPolicy defaults(String profile) {
        boolean submission = !profile.equals("mta");
        // smtps takes mail for local users without AUTH, like port 25 does; relaying still needs
        // AUTH (or mynetworks) through reject_unauth_destination
        return new SessionPolicy(profile, profile.equals("smtps"), profile.equals("submission") ? ENCRYPT : MAY,
                submission, true, profile.equals("submission"), DEFAULT_AUTH_DELAY, DEFAULT_AUTH_LIMIT, DEFAULT_CONNECTION_LIMIT,
                List.of(), List.of(), List.of());
    }

    static String defaultProfile(String listenerName) {
        String n = listenerName.toLowerCase(Locale.ROOT);
        return n.equals("submission") || n.equals("smtps") ? n : "mta";
    }

    static SessionPolicy read(Settings s, String listenerName) {
        String profile = s.choice("profile", defaultProfile(listenerName), "mta", "submission", "smtps");
        SessionPolicy d = defaults(profile);
        boolean wrapper = s.bool("smtpd_tls_wrappermode", d.wrapperMode());
        String level = s.choice("smtpd_tls_security_level", d.tlsSecurityLevel(), NONE, MAY, ENCRYPT);
        if (wrapper && level.equals(NONE)) {
            s.problem("smtpd_tls_security_level", "must not be none when smtpd_tls_wrappermode = yes");
            level = d.tlsSecurityLevel();
        }
        boolean sasl = s.bool("smtpd_sasl_auth_enable", d.saslAuthEnable());
        boolean authOnly = s.bool("smtpd_tls_auth_only", d.tlsAuthOnly());
        boolean required = s.bool("smtpd_auth_required", d.authRequired());
        if (required && !sasl) {
            s.problem("smtpd_auth_required", "needs smtpd_sasl_auth_enable = yes, else no client could send mail");
            required = false;
        }
        Duration delay = s.duration("smtpd_auth_failure_delay", d.authFailureDelay());
        int limit = s.integer("smtpd_auth_failure_limit", d.authFailureLimit(), 1, 1000);
        int conns = s.integer("smtpd_client_connection_count_limit", d.connectionCountLimit(), 1, 100_000);
        List<Restriction> client = Restriction.parse(s.list("smtpd_client_restrictions", List.of()));
        List<Restriction> helo = Restriction.parse(s.list("smtpd_helo_restrictions", List.of()));
        List<Restriction> sender = Restriction.parse(s.list("smtpd_sender_restrictions", List.of()));
        return new SessionPolicy(profile, wrapper, level, sasl, authOnly, required, delay, limit, conns, client, helo,
                sender);
    }

    boolean tlsOffered() {
        return !tlsSecurityLevel.equals(NONE);
    }

    boolean tlsRequired() {
        return tlsSecurityLevel.equals(ENCRYPT);
    }
}
