package org.mailhive.pop3.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.users.Authenticator;
import org.mailhive.api.users.MailUser;
import org.mailhive.net.SaslExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one POP3 connection and the flow around the commands. Called by one thread at a
 * time: the session's worker (MINA's ordered executor), since login and RETR read the disk; or,
 * for input that needs neither disk nor wait, the I/O thread itself ({@link #tryInline}).
 *
 * <p>Input is split into lines and queued; lines run one after the other until something makes
 * the session wait (a message being sent to a slow client, a delayed login failure). Replies
 * collect in one buffer written when the input at hand is used up, so a pipelined batch of
 * commands is answered in few writes (RFC 2449 PIPELINING).
 */
final class Pop3Session {

    enum State { AUTHORIZATION, TRANSACTION }

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    /** Bad commands after which the client is dropped, as Dovecot does. */
    static final int MAX_BAD_COMMANDS = 10;
    /** Output queued in MINA beyond which a transfer waits for the client to read. */
    static final long HIGH_WATER = 256 << 10;
    /** Output collected before it is handed to MINA. */
    static final int FLUSH_AT = 64 << 10;
    /** Pipelined input waiting beyond which reading stops until the queue has shrunk. */
    static final int MAX_QUEUED_LINES = 512;
    /** Inputs answered on the I/O thread, server-wide (for tests and the benchmark's reasoning). */
    static final AtomicLong INLINE_ANSWERS = new AtomicLong();

    private final Pop3Services services;
    private final ListenerSettings settings;
    private final Connection connection;
    private final InetAddress client;
    private final LineDecoder decoder = new LineDecoder();
    private final Deque<LineDecoder.Item> queue = new ArrayDeque<>();
    private final OutBuffer out = new OutBuffer();
    private final MailLog log;

    private State state = State.AUTHORIZATION;
    private boolean tlsActive;
    private boolean plaintextDropped;
    private String pendingUser;
    private SaslExchange sasl;
    private int badCommands;
    private int authFailures;
    private Maildrop maildrop;

    private Transfer transfer;
    private int transferring;
    private byte[] scratch;
    private final Prefetch prefetch = new Prefetch();
    /** Read ahead after this message once the output is handed over; 0 = nothing to do. */
    private int fillAfter;
    /** The last message sent whole by RETR, where reading ahead goes on from. */
    private int lastRetr;
    /** Running on the I/O thread: nothing may touch the disk. */
    private boolean inline;
    private boolean paused;
    private String delayedReply;
    private boolean readSuspended;
    private boolean closing;
    private boolean closed;

    Pop3Session(Pop3Services services, ListenerSettings settings, Connection connection) {
        this.services = services;
        this.settings = settings;
        this.connection = connection;
        this.client = connection.remoteAddress();
        this.log = new MailLog(client.getHostAddress(), connection.localAddress().getHostAddress());
        this.tlsActive = settings.ssl();
    }

    // ---- events from the connection

    void open() {
        ServerIdentity id = services.identity();
        reply(id == null ? Replies.GREETING : Reply.ok("Mailhive POP3 ready on " + id.myhostname() + "."));
        flush();
    }

    /** @param secured whether the bytes came through TLS */
    void receive(byte[] bytes, int offset, int length, boolean secured) {
        if (closing) return;
        if (tlsActive && !secured) {
            // Pipelined behind STLS in plaintext: never to be taken as commands (RFC 2595 section 4).
            if (!plaintextDropped) LOG.info("{}: discarding plaintext input after STLS", client.getHostAddress());
            plaintextDropped = true;
            return;
        }
        decoder.feed(bytes, offset, length, queue::add);
        if (queue.size() > MAX_QUEUED_LINES && !readSuspended) {
            readSuspended = true;
            connection.readSuspended(true);
        }
        run();
    }

    /** A delayed reply is due: send it and go on with the input that waited. */
    void resume() {
        if (closed || delayedReply == null) return;
        paused = false;
        out.put(delayedReply);
        delayedReply = null;
        run();
    }

    /** What was written has been sent: the transfer under way may go on. */
    void drained() {
        if (closed || transfer == null) return;
        paused = false;
        pump();
        run();
    }

    /**
     * pop3_timeout passed with neither input nor output. A client that stopped reading in the
     * middle of a message, or did not read the farewell within another timeout, is cut off.
     */
    void idle() {
        if (closed) return;
        if (closing || transfer != null) {
            closing = true;
            connection.abort();
            return;
        }
        reply(Replies.TIMEOUT);
        closing = true;
        if (maildrop == null) log.disconnectedBeforeLogin("Inactivity");
        flush();
    }

    /** The connection is gone: a maildrop still open is released with nothing deleted. */
    void closed() {
        if (closed) return;
        closed = true;
        closing = true;
        if (transfer != null) transfer.close();
        transfer = null;
        prefetch.clear();
        if (maildrop != null) {
            log.loggedOut(maildrop, "Connection closed", 0);
            maildrop.close();
            maildrop = null;
        } else if (authFailures > 0) {
            log.disconnectedBeforeLogin("auth failed, " + authFailures + " attempts");
        }
    }

    // ---- the command loop

    private void run() {
        LineDecoder.Item item;
        while (!paused && !closing && (item = queue.poll()) != null) handle(item);
        if (closing) queue.clear();
        if (readSuspended && queue.size() < MAX_QUEUED_LINES / 4) {
            readSuspended = false;
            connection.readSuspended(false);
        }
        flush();
        // after the reply is on its way: the client reads it while the next messages are read
        if (fillAfter > 0 && !inline && maildrop != null && !closing) prefetch.fill(maildrop, fillAfter);
        fillAfter = 0;
    }

    /** The worker's turn to read ahead, asked for by the I/O thread. */
    void prefetch() {
        if (closed || closing || maildrop == null) return;
        prefetch.fill(maildrop, lastRetr);
    }

    /**
     * On the I/O thread, with no event of this session queued or running: answers the input when
     * it is whole lines of commands that need no disk (NOOP, STAT, LIST, UIDL, DELE, and RETR of
     * messages read ahead). Anything else, or any doubt, returns false and the worker gets it.
     */
    boolean tryInline(byte[] bytes, int offset, int length, boolean secured) {
        if (state != State.TRANSACTION || maildrop == null || closing || closed || paused || transfer != null
                || sasl != null || delayedReply != null || !queue.isEmpty() || decoder.pending() != 0
                || (tlsActive && !secured) || connection.pendingBytes() >= HIGH_WATER
                || !InlineCommands.accept(bytes, offset, length, prefetch::has)) {
            return false;
        }
        inline = true;
        INLINE_ANSWERS.incrementAndGet();
        try {
            receive(bytes, offset, length, secured);
        } finally {
            inline = false;
        }
        if (!closing && maildrop != null && prefetch.wantsMore(maildrop)) connection.prefetchLater();
        return true;
    }

    private void handle(LineDecoder.Item item) {
        if (item.error() != null) {
            sasl = null;
            badCommand(item.error());
            return;
        }
        if (sasl != null) {
            SaslExchange exchange = sasl;
            sasl = null;
            Reply r = AuthCommand.continueExchange(this, exchange, item.line());
            if (r != null) reply(r);
            return;
        }
        if (item.octets() > LineDecoder.COMMAND_LIMIT - 2) {
            badCommand(Replies.LINE_TOO_LONG);
            return;
        }
        String line = item.line();
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String argument = sp < 0 ? "" : line.substring(sp + 1);
        CommandTable.Entry entry = CommandTable.find(verb);
        if (entry == null) {
            badCommand(Replies.UNKNOWN_COMMAND);
            return;
        }
        if (!entry.states().contains(state)) {
            badCommand(Replies.WRONG_STATE);
            return;
        }
        Reply r;
        try {
            r = entry.command().execute(this, argument);
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed", client.getHostAddress(), verb, e);
            r = Reply.err("[SYS/TEMP] Internal error");
        }
        if (r != null) {
            if (r.ok()) badCommands = 0;
            reply(r);
        }
    }

    private void badCommand(Reply r) {
        reply(r);
        if (++badCommands >= MAX_BAD_COMMANDS) {
            reply(Replies.TOO_MANY_ERRORS);
            closing = true;
        }
    }

    // ---- used by the commands

    State state() {
        return state;
    }

    Pop3Services services() {
        return services;
    }

    Maildrop maildrop() {
        return maildrop;
    }

    boolean tlsActive() {
        return tlsActive;
    }

    /** disable_plaintext_auth: passwords only inside TLS, except from this host itself. */
    boolean plaintextAuthAllowed() {
        return tlsActive || !settings.disablePlaintextAuth() || services.isLocalClient(client);
    }

    void pendingUser(String user) {
        pendingUser = user;
    }

    String pendingUser() {
        return pendingUser;
    }

    void awaitSaslResponse(SaslExchange exchange) {
        sasl = exchange;
    }

    /** Writes text that is not a reply (a SASL challenge, the AUTH mechanism list). */
    void write(String text) {
        out.put(text);
    }

    List<String> capabilities() {
        List<String> caps = new ArrayList<>(List.of("CAPA", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE",
                "PIPELINING"));
        if (state == State.AUTHORIZATION) {
            if (plaintextAuthAllowed()) {
                caps.add("USER");
                caps.add("SASL " + SaslExchange.MECHANISMS);
            }
            if (!tlsActive && services.tls() != null) caps.add("STLS");
        }
        caps.add("IMPLEMENTATION Mailhive");
        return caps;
    }

    /** Checks a login and, when right, opens the maildrop; a wrong one is answered after auth_failure_delay. */
    Reply authenticate(String login, char[] password, String method) {
        pendingUser = null;
        Authenticator auth = services.authenticator();
        if (auth == null) {
            Arrays.fill(password, '\0');
            LOG.warn("no Authenticator service present, refusing logins");
            return Replies.AUTH_UNAVAILABLE;
        }
        Optional<MailUser> user;
        try {
            user = auth.authenticate(login, password);
        } catch (RuntimeException e) {
            LOG.error("authenticator failed", e);
            return Replies.AUTH_UNAVAILABLE;
        } finally {
            Arrays.fill(password, '\0');
        }
        if (user.isEmpty()) return authFailed(login, method);
        return login(user.get(), method);
    }

    /** Counts a failed login and answers after the delay without holding a thread. */
    Reply authFailed(String login, String method) {
        authFailures++;
        log.authFailed(printable(login), method, tlsActive);
        if (settings.authFailureDelay().isZero()) return Replies.AUTH_FAILED;
        paused = true;
        delayedReply = Replies.AUTH_FAILED.toWire();
        connection.resumeLater(settings.authFailureDelay());
        return null;
    }

    private Reply login(MailUser user, String method) {
        MaildropOpener.Result r = MaildropOpener.open(services, user, client, settings.maxUserIpConnections());
        if (r.maildrop() == null) {
            log.refused(user.name(), r.reason());
            return r.refusal();
        }
        maildrop = r.maildrop();
        state = State.TRANSACTION;
        log.login(user.name(), method, tlsActive);
        return Replies.LOGGED_IN;
    }

    /** Starts sending a message: the +OK line goes only once the message could be opened. */
    Reply send(int n, long bodyLines) {
        InputStream in;
        byte[] ahead = bodyLines < 0 ? prefetch.take(n) : null;
        try {
            if (ahead != null) {
                in = new ByteArrayInputStream(ahead);
            } else if (inline) {
                // InlineCommands lets only read-ahead messages through: never the disk here
                throw new IOException("message " + n + " not read ahead");
            } else {
                in = maildrop.open(n);
            }
        } catch (NoSuchFileException e) {
            return Replies.MESSAGE_GONE;
        } catch (IOException | RuntimeException e) {
            log.error(maildrop.user(), "cannot read message " + n + ": " + e);
            return Reply.err("[SYS/TEMP] Cannot read the message");
        }
        boolean top = bodyLines >= 0;
        reply(top ? Reply.ok("") : Reply.ok(maildrop.message(n).size() + " octets"));
        transfer = new Transfer(in, new DotStuffer(bodyLines), top);
        transferring = n;
        if (scratch == null) scratch = new byte[Transfer.CHUNK];
        pump();
        return null;
    }

    /** Moves the transfer on until it is done or the client has enough unread output queued. */
    private void pump() {
        Transfer t = transfer;
        try {
            while (true) {
                if (t.step(out, scratch)) {
                    transfer = null;
                    t.close();
                    if (t.top()) {
                        maildrop.topCount++;
                        maildrop.topBytes += t.passed();
                    } else {
                        maildrop.retrCount++;
                        maildrop.retrBytes += t.passed();
                        lastRetr = transferring;
                        fillAfter = transferring;
                    }
                    return;
                }
                if (out.size() >= FLUSH_AT) out.handOver(connection::write);
                if (connection.pendingBytes() >= HIGH_WATER) {
                    paused = true;
                    connection.notifyWhenDrained();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The +OK is out: the response cannot be completed, so the connection goes (RFC 1939 gives no way back).
            log.error(maildrop.user(), "reading a message failed mid-transfer: " + e);
            transfer = null;
            t.close();
            closing = true;
        }
    }

    /** QUIT: in the TRANSACTION state this is the UPDATE state, the only place where DELE takes effect. */
    Reply quit() {
        closing = true;
        prefetch.clear();
        Maildrop m = maildrop;
        if (m == null) return Replies.BYE;
        maildrop = null;
        Reply r;
        int removed = 0;
        try {
            removed = m.commit();
            r = removed > 0 ? Replies.BYE_DELETED : Replies.BYE;
        } catch (IOException | RuntimeException e) {
            log.error(m.user(), "deleting messages failed: " + e);
            r = Replies.DELETE_FAILED;
        }
        log.loggedOut(m, "Logged out", removed);
        m.close();
        return r;
    }

    /**
     * STLS: the +OK goes out in plaintext, TLS goes under the connection, and input that came
     * with the command is dropped (RFC 2595 section 4).
     */
    Reply startTls() {
        byte[][] before = new byte[1][];
        out.handOver((b, n) -> before[0] = Arrays.copyOf(b, n));
        byte[] prior = before[0] == null ? new byte[0] : before[0];
        byte[] ok = Replies.BEGIN_TLS.toWire().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] plaintext = Arrays.copyOf(prior, prior.length + ok.length);
        System.arraycopy(ok, 0, plaintext, prior.length, ok.length);
        if (!connection.startTls(plaintext)) {
            out.put(prior, 0, prior.length);
            return Replies.TLS_UNAVAILABLE;
        }
        tlsActive = true;
        queue.clear();
        decoder.reset();
        pendingUser = null;
        return null;
    }

    String tlsDescription() {
        return tlsActive ? connection.tlsDescription() : null;
    }

    // ---- output

    private void reply(Reply r) {
        out.put(r.toWire());
    }

    private void flush() {
        out.handOver(connection::write);
        if (closing && !closed && transfer == null) connection.close();
    }

    /** A client-chosen name goes into the log: no control characters, bounded length. */
    static String printable(String s) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 256; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return sb.toString();
    }
}
