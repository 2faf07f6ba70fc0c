package org.mailhive.pop3.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POP3 lines of the mail log, worded as Dovecot's so that existing tools (fail2ban's dovecot
 * filter, pflogsumm-like scripts) read them: {@code pop3-login: ...} before login,
 * {@code pop3(user): ...} after.
 */
final class MailLog {

    private static final Logger LOG = LoggerFactory.getLogger("mail.pop3");

    private final String rip;
    private final String lip;

    MailLog(String rip, String lip) {
        this.rip = rip;
        this.lip = lip;
    }

    void login(String user, String method, boolean tls) {
        LOG.info(loginLine(user, method, tls));
    }

    String loginLine(String user, String method, boolean tls) {
        return "pop3-login: Login: user=<" + user + ">, method=" + method + ", rip=" + rip + ", lip=" + lip
                + (tls ? ", TLS" : "");
    }

    /** One line per failed attempt with the client address, which fail2ban matches. */
    void authFailed(String user, String method, boolean tls) {
        LOG.warn(authFailedLine(user, method, tls));
    }

    String authFailedLine(String user, String method, boolean tls) {
        return "pop3-login: Aborted login (auth failed): user=<" + (user == null ? "" : user) + ">, method="
                + method + ", rip=" + rip + ", lip=" + lip + (tls ? ", TLS" : "");
    }

    void refused(String user, String reason) {
        LOG.info("pop3-login: Login refused ({}): user=<{}>, rip={}, lip={}", reason, user, rip, lip);
    }

    void disconnectedBeforeLogin(String reason) {
        LOG.info("pop3-login: Disconnected ({}): rip={}, lip={}", reason, rip, lip);
    }

    void loggedOut(Maildrop m, String reason, int deleted) {
        LOG.info(logoutLine(m, reason, deleted));
    }

    /** Dovecot's pop3_logout_format: top=count/bytes, retr=count/bytes, del=deleted/messages, size. */
    String logoutLine(Maildrop m, String reason, int deleted) {
        return "pop3(" + m.user() + ")<" + rip + ">: Disconnected: " + reason + " top=" + m.topCount + "/"
                + m.topBytes + ", retr=" + m.retrCount + "/" + m.retrBytes + ", del=" + deleted + "/" + m.size()
                + ", size=" + m.totalSize();
    }

    void error(String user, String what) {
        LOG.error("pop3({})<{}>: Error: {}", user, rip, what);
    }
}
