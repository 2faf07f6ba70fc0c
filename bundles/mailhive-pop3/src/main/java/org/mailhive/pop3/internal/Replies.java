package org.mailhive.pop3.internal;

/** Every fixed reply the POP3 server gives, built once; response codes from RFC 2449 and RFC 3206. */
final class Replies {

    static final Reply GREETING = Reply.ok("Mailhive POP3 ready.");
    static final Reply OK = Reply.ok("");
    static final Reply USER_OK = Reply.ok("");
    static final Reply LOGGED_IN = Reply.ok("Logged in.");
    static final Reply BYE = Reply.ok("Logging out.");
    static final Reply BYE_DELETED = Reply.ok("Logging out, messages deleted.");
    static final Reply MARKED = Reply.ok("Marked to be deleted.");
    static final Reply BEGIN_TLS = Reply.ok("Begin TLS negotiation now.");

    static final Reply UNKNOWN_COMMAND = Reply.err("unknown command");
    static final Reply WRONG_STATE = Reply.err("command not valid in this state");
    static final Reply LINE_TOO_LONG = Reply.err("line too long");
    static final Reply NUL_IN_COMMAND = Reply.err("NUL character in command");
    static final Reply TOO_MANY_ERRORS = Reply.err("Too many bad commands.");
    static final Reply TIMEOUT = Reply.err("Disconnected for inactivity.");
    static final Reply SHUTTING_DOWN = Reply.err("[SYS/TEMP] Server shutting down.");

    static final Reply NEED_ARGUMENT = Reply.err("Missing argument");
    static final Reply NO_ARGUMENTS = Reply.err("Too many arguments");
    static final Reply BAD_NUMBER = Reply.err("Invalid message number");
    static final Reply NO_SUCH_MESSAGE = Reply.err("There's no message with that number");
    static final Reply MESSAGE_DELETED = Reply.err("Message is deleted");
    static final Reply MESSAGE_GONE = Reply.err("Message is no longer available");
    static final Reply BAD_LINE_COUNT = Reply.err("Invalid number of lines");

    static final Reply NO_USER = Reply.err("No username given.");
    static final Reply AUTH_FAILED = Reply.err("[AUTH] Authentication failed.");
    static final Reply PLAINTEXT_DISALLOWED = Reply.err(
            "[AUTH] Plaintext authentication disallowed on non-secure connections");
    static final Reply AUTH_UNAVAILABLE = Reply.err("[SYS/TEMP] Authentication temporarily unavailable");
    static final Reply AUTH_ABORTED = Reply.err("Authentication aborted");
    static final Reply AUTH_BAD_BASE64 = Reply.err("Invalid base64 data in continued response");
    static final Reply AUTH_UNKNOWN_MECHANISM = Reply.err("Unsupported authentication mechanism.");
    static final Reply AUTH_SYNTAX = Reply.err("Syntax: AUTH mechanism [initial-response]");
    static final Reply LOCKED = Reply.err("[IN-USE] Mailbox is locked by another POP3 session");
    static final Reply TOO_MANY_USER_IP = Reply.err(
            "[IN-USE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections)");
    static final Reply MAILBOX_UNAVAILABLE = Reply.err("[SYS/TEMP] Mailbox is temporarily unavailable");
    static final Reply NO_MAIL_LOCATION = Reply.err("[SYS/PERM] No mailbox is configured for this user");
    static final Reply DELETE_FAILED = Reply.err("[SYS/TEMP] Some deleted messages could not be removed");

    static final Reply TLS_ALREADY = Reply.err("TLS is already active.");
    static final Reply TLS_UNAVAILABLE = Reply.err("[SYS/TEMP] TLS not available");

    private Replies() {
    }

    /** A SASL challenge (RFC 5034): "+ " and base64, which may be empty. */
    static String challenge(String base64) {
        return "+ " + base64 + "\r\n";
    }
}
