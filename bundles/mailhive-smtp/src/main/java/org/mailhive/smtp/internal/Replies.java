package org.mailhive.smtp.internal;

import org.mailhive.api.mail.SmtpReply;

/** Every fixed reply smtpd gives, built once (RFC 5321 codes with RFC 3463 enhanced codes). */
final class Replies {

    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Ok");
    static final SmtpReply RCPT_OK = SmtpReply.of(250, "2.1.5", "Ok");
    static final SmtpReply START_DATA = SmtpReply.of(354, (String) null, "End data with <CR><LF>.<CR><LF>");
    static final SmtpReply BYE = SmtpReply.of(221, "2.0.0", "Bye");
    static final SmtpReply HELP = SmtpReply.of(214, "2.0.0", "See RFC 5321 (https://www.rfc-editor.org/rfc/rfc5321)");
    static final SmtpReply CANNOT_VRFY = SmtpReply.of(252, "2.5.2", "Cannot VRFY user");

    static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Line too long");
    static final SmtpReply NUL_IN_COMMAND = SmtpReply.of(500, "5.5.2", "NUL character in command");
    static final SmtpReply UNKNOWN_COMMAND = SmtpReply.of(500, "5.5.2", "Unknown command");
    static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Command not implemented");

    static final SmtpReply HELO_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: HELO hostname");
    static final SmtpReply EHLO_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: EHLO hostname");
    static final SmtpReply MAIL_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    static final SmtpReply RCPT_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: RCPT TO:<address>");
    static final SmtpReply NO_ARGUMENTS = SmtpReply.of(501, "5.5.4", "Syntax: no parameters allowed");
    static final SmtpReply BAD_SENDER = SmtpReply.of(501, "5.1.7", "Bad sender address syntax");
    static final SmtpReply BAD_RECIPIENT = SmtpReply.of(501, "5.1.3", "Bad recipient address syntax");
    static final SmtpReply BAD_PARAMETER_VALUE = SmtpReply.of(501, "5.5.4", "Bad parameter value");
    static final SmtpReply UNKNOWN_PARAMETER = SmtpReply.of(555, "5.5.4", "Unsupported parameter");
    static final SmtpReply NEED_UTF8 = SmtpReply.of(553, "5.6.7", "Must declare SMTPUTF8 to send unicode address");

    static final SmtpReply NEED_HELO = SmtpReply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1", "Error: need MAIL command");
    static final SmtpReply NESTED_MAIL = SmtpReply.of(503, "5.5.1", "Error: nested MAIL command");
    static final SmtpReply NO_VALID_RECIPIENTS = SmtpReply.of(554, "5.5.1", "Error: No valid recipients");
    static final SmtpReply ACCESS_DENIED = SmtpReply.of(554, "5.7.1", "Access denied");
    static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Error: too many recipients");

    static final SmtpReply SIZE_EXCEEDED = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit");
    static final SmtpReply BARE_LINE_ENDING = SmtpReply.of(550, "5.6.0",
            "Message contains bare LF/CR (RFC 5321 section 2.3.8)");

    static final SmtpReply UNAVAILABLE = SmtpReply.of(451, "4.3.0", "Mail system temporarily unavailable");
    static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0", "Error: queue file write error");
    static final SmtpReply CONFIG_PROBLEM = SmtpReply.of(451, "4.3.5", "Server configuration problem");

    static final SmtpReply TOO_MANY_ERRORS = SmtpReply.of(421, "4.7.0", "Error: too many errors");
    static final SmtpReply TIMEOUT = SmtpReply.of(421, "4.4.2", "Error: timeout exceeded");
    static final SmtpReply SHUTTING_DOWN = SmtpReply.of(421, "4.3.2", "Service shutting down");

    static final SmtpReply READY_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    static final SmtpReply TLS_UNAVAILABLE = SmtpReply.of(454, "4.7.0", "TLS not available due to local problem");
    static final SmtpReply ALREADY_TLS = SmtpReply.of(503, "5.5.1", "Error: TLS already active");
    static final SmtpReply TRANSACTION_IN_PROGRESS = SmtpReply.of(503, "5.5.1", "Error: MAIL transaction in progress");
    static final SmtpReply NEED_STARTTLS = SmtpReply.of(530, "5.7.0", "Must issue a STARTTLS command first");

    static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication successful");
    static final SmtpReply AUTH_FAILED = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    static final SmtpReply AUTH_ABORTED = SmtpReply.of(501, "5.0.0", "Authentication aborted");
    static final SmtpReply AUTH_BAD_BASE64 = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    static final SmtpReply AUTH_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    static final SmtpReply AUTH_ALREADY = SmtpReply.of(503, "5.5.1", "Error: already authenticated");
    static final SmtpReply AUTH_NOT_ENABLED = SmtpReply.of(503, "5.5.1", "Error: authentication not enabled");
    static final SmtpReply AUTH_UNKNOWN_MECHANISM = SmtpReply.of(504, "5.5.4", "Unrecognized authentication type");
    static final SmtpReply AUTH_UNAVAILABLE = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    static final SmtpReply AUTH_TOO_MANY_FROM_CLIENT = SmtpReply.of(454, "4.7.0",
            "Too many authentication failures from this address, try again later");
    static final SmtpReply AUTH_NEEDS_ENCRYPTION = SmtpReply.of(538, "5.7.11",
            "Encryption required for requested authentication mechanism");
    static final SmtpReply AUTH_TOO_MANY_FAILURES = SmtpReply.of(421, "4.7.0", "Too many authentication failures");
    static final SmtpReply AUTH_REQUIRED = SmtpReply.of(530, "5.7.0", "Authentication required");

    static final SmtpReply BDAT_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]");
    static final SmtpReply DATA_AFTER_BDAT = SmtpReply.of(503, "5.5.1", "Error: DATA not allowed after BDAT");

    static final SmtpReply TOO_MANY_CONNECTIONS = SmtpReply.of(421, "4.7.0", "Too many connections from");

    private Replies() {
    }

    static SmtpReply queued(String id) {
        return SmtpReply.of(250, "2.0.0", "Ok: queued as " + id);
    }

    static SmtpReply octetsReceived(long n) {
        return SmtpReply.of(250, "2.0.0", n + " octets received");
    }

    /** A SASL challenge: 334 and base64 text, no enhanced code (RFC 4954). */
    static SmtpReply challenge(String base64) {
        return SmtpReply.of(334, (String) null, base64);
    }

    /** 421 replies start with the host name (RFC 5321 section 3.8). */
    static SmtpReply withHost(String host, SmtpReply reply) {
        return reply.withText(host + " " + reply.lines().get(0));
    }

    /** A constant's text with a detail appended, e.g. the name of an unsupported parameter. */
    static SmtpReply detail(SmtpReply reply, String detail) {
        return reply.withText(reply.lines().get(0) + ": " + detail);
    }
}
