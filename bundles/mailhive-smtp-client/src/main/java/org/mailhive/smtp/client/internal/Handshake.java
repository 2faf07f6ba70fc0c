package org.mailhive.smtp.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.mailhive.api.mail.EnhancedStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a session with one host, up to the point where MAIL FROM may be sent: connect,
 * greeting, EHLO (HELO when EHLO is refused), STARTTLS and EHLO again, AUTH. Each step either
 * moves on or ends with a {@link SessionFailure} that names the host and the step.
 */
final class Handshake {

    private static final Logger LOG = LoggerFactory.getLogger("mail.smtp");

    /** What the session needs besides the host: the settings in force and how TLS is made. */
    record Plan(ClientSettings settings, String heloName, String myhostname, TlsContexts tls, boolean authenticate) {
    }

    private Handshake() {
    }

    static SmtpConnection open(Router.Target target, Plan plan, ClientTransport transport)
            throws SessionFailure {
        ClientSettings cfg = plan.settings();
        SmtpConnection c;
        try {
            c = transport.connect(target, cfg.connectTimeout());
        } catch (IOException e) {
            String why = e instanceof SocketTimeoutException ? "Connection timed out"
                    : e instanceof ConnectException && e.getMessage() != null
                            ? e.getMessage().replaceFirst(" \\(.*\\)$", "") : String.valueOf(e.getMessage());
            String reason = "connect to " + target.host() + "[" + target.address().getHostAddress() + "]:"
                    + target.port() + ": " + why;
            LOG.info(reason);
            throw new SessionFailure(EnhancedStatus.of(4, 4, 1), reason);
        }
        try {
            converse(c, plan);
            return c;
        } catch (SessionFailure f) {
            if (!f.loop) LOG.info(f.getMessage());
            c.close();
            throw f;
        }
    }

    private static void converse(SmtpConnection c, Plan plan) throws SessionFailure {
        ClientSettings cfg = plan.settings();
        String phase = "receiving the initial server greeting";
        try {
            Reply greeting = c.read(cfg.heloTimeout());
            if (!greeting.positive()) {
                // Postfix's smtp_skip_5xx_greeting: a refusing host is skipped, never a reason to bounce
                throw new SessionFailure(SessionFailure.temporary(greeting.status()),
                        "host " + c.peer() + " refused to talk to me: " + greeting.text());
            }
            String greeter = greeting.lines().get(0).split(" ", 2)[0];
            if (greeter.equalsIgnoreCase(plan.myhostname())) {
                throw new SessionFailure(EnhancedStatus.of(5, 4, 6), "host " + c.peer()
                        + " greeted me with my own hostname " + plan.myhostname(), true);
            }
            phase = "performing the EHLO handshake";
            hello(c, plan);
            if (cfg.tlsLevel() != ClientSettings.TlsLevel.NONE) {
                phase = "performing the STARTTLS handshake";
                startTls(c, plan);
                phase = "performing the EHLO handshake";
                if (c.tlsInfo() != null) hello(c, plan);
            }
            if (plan.authenticate() && !c.capabilities().authMechanisms().isEmpty()) {
                phase = "performing the AUTH handshake";
                authenticate(c, cfg);
            }
        } catch (IOException e) {
            throw SessionFailure.io(c, e, phase);
        }
    }

    private static void hello(SmtpConnection c, Plan plan) throws IOException, SessionFailure {
        c.send("EHLO " + plan.heloName());
        c.flush(plan.settings().heloTimeout());
        Reply ehlo = c.read(plan.settings().heloTimeout());
        if (ehlo.positive()) {
            c.capabilities(SmtpConnection.Capabilities.parse(ehlo));
            return;
        }
        if (!ehlo.permanent()) throw said(c, ehlo, "EHLO");
        c.send("HELO " + plan.heloName());
        c.flush(plan.settings().heloTimeout());
        Reply helo = c.read(plan.settings().heloTimeout());
        if (!helo.positive()) throw said(c, helo, "HELO");
        c.capabilities(SmtpConnection.Capabilities.NONE);
    }

    private static void startTls(SmtpConnection c, Plan plan) throws IOException, SessionFailure {
        ClientSettings cfg = plan.settings();
        boolean required = cfg.tlsLevel() == ClientSettings.TlsLevel.ENCRYPT;
        if (!c.capabilities().has("STARTTLS")) {
            if (required) {
                throw new SessionFailure(EnhancedStatus.of(4, 7, 4),
                        "TLS is required, but was not offered by host " + c.peer());
            }
            return;
        }
        c.send("STARTTLS");
        c.flush(cfg.heloTimeout());
        Reply r = c.read(cfg.heloTimeout());
        if (!r.positive()) {
            if (required) {
                throw new SessionFailure(EnhancedStatus.of(4, 7, 4),
                        "TLS is required, but host " + c.peer() + " refused to start TLS: " + r.text());
            }
            return;
        }
        try {
            c.startTls(plan.tls().context(), plan.tls().protocols(), plan.tls().cipherSuites(), cfg.heloTimeout());
        } catch (SSLException e) {
            // the session is unusable after a failed handshake; the next host (or the next try) goes on
            throw new SessionFailure(EnhancedStatus.of(4, 7, 5),
                    "Cannot start TLS: handshake failure with " + c.peer() + ": " + e.getMessage(), false, true);
        }
        LOG.info("Untrusted TLS connection established to " + c.relay() + ": " + c.tlsInfo());
    }

    /** AUTH PLAIN when offered, else LOGIN (RFC 4616, draft-murchison-sasl-login). */
    private static void authenticate(SmtpConnection c, ClientSettings cfg) throws IOException, SessionFailure {
        List<String> mechs = c.capabilities().authMechanisms();
        Base64.Encoder b64 = Base64.getEncoder();
        Reply r;
        if (mechs.contains("PLAIN")) {
            String token = "\0" + cfg.saslUsername() + "\0" + cfg.saslPassword();
            c.send("AUTH PLAIN " + b64.encodeToString(token.getBytes(StandardCharsets.UTF_8)));
            c.flush(cfg.heloTimeout());
            r = c.read(cfg.heloTimeout());
        } else if (mechs.contains("LOGIN")) {
            c.send("AUTH LOGIN");
            c.flush(cfg.heloTimeout());
            r = c.read(cfg.heloTimeout());
            if (r.code() == 334) {
                c.send(b64.encodeToString(cfg.saslUsername().getBytes(StandardCharsets.UTF_8)));
                c.flush(cfg.heloTimeout());
                r = c.read(cfg.heloTimeout());
            }
            if (r.code() == 334) {
                c.send(b64.encodeToString(cfg.saslPassword().getBytes(StandardCharsets.UTF_8)));
                c.flush(cfg.heloTimeout());
                r = c.read(cfg.heloTimeout());
            }
        } else {
            throw new SessionFailure(EnhancedStatus.of(4, 7, 0), "SASL authentication failed: server " + c.peer()
                    + " offered no supported mechanism (" + String.join(" ", mechs).toLowerCase(Locale.ROOT) + ")");
        }
        if (r.code() != 235) {
            throw new SessionFailure(EnhancedStatus.of(4, 7, 0),
                    "SASL authentication failed; server " + c.peer() + " said: " + r.text());
        }
    }

    private static SessionFailure said(SmtpConnection c, Reply r, String command) {
        return new SessionFailure(SessionFailure.temporary(r.status()),
                "host " + c.peer() + " said: " + r.text() + " (in reply to " + command + " command)");
    }
}
