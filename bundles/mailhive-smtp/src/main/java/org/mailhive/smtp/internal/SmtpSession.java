package org.mailhive.smtp.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.net.SaslExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one SMTP connection and the protocol flow around the commands. Called by one
 * thread at a time: a worker of MINA's ordered executor, because writing the message and
 * committing it touch the disk; or, for input that needs neither disk nor lookups (HELO, MAIL,
 * QUIT outside a transaction), the I/O thread itself ({@link #tryInline}), holding the
 * session's {@link org.mailhive.net.InlineGate} as every worker event does.
 *
 * <p>Replies are collected and written when the input at hand is used up, which answers a
 * PIPELINING group in one write (RFC 2920 section 3.2).
 */
final class SmtpSession implements SmtpContext, SmtpDecoder.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final String CLIENT_NAME = "unknown";
    /** Input kept while a delayed reply is pending; a client that pipelines more than this is dropped. */
    static final int MAX_STASH = 64 << 10;
    /** Inputs answered on the I/O thread, server-wide (for tests and the benchmark's reasoning). */
    static final AtomicLong INLINE_ANSWERS = new AtomicLong();

    private final SmtpServices services;
    private final Supplier<ListenerSettings> current;
    private final Connection connection;
    private final InetAddress client;
    private final SmtpDecoder decoder;
    private final MailLog log;
    private final StringBuilder out = new StringBuilder();
    /** Read per transaction (at MAIL), so a changed .cfg applies to the next transaction. */
    private ListenerSettings settings;

    private String helo = "";
    private boolean esmtp;
    private Transaction tx;
    private int errors;
    private boolean closing;
    private boolean closed;
    private boolean quit;
    private String lastVerb = "CONNECT";

    private boolean tlsActive;
    private boolean plaintextDropped;
    private String authUser;
    private String authMethod;
    private SaslExchange sasl;
    private int authFailures;

    private boolean paused;
    private String delayedReply;
    private ByteArrayOutputStream stash;

    private final MessageIntake intake = new MessageIntake(this);

    SmtpSession(SmtpServices services, ListenerSettings settings, Connection connection) {
        this(services, settings, () -> settings, connection);
    }

    /**
     * @param initial the settings the connection was accepted with (TLS wrapper mode, limits)
     * @param current the listener's settings now, read again at each MAIL
     */
    SmtpSession(SmtpServices services, ListenerSettings initial, Supplier<ListenerSettings> current,
            Connection connection) {
        this.services = services;
        this.current = current;
        this.settings = initial;
        this.connection = connection;
        this.client = connection.remoteAddress();
        this.decoder = new SmtpDecoder(this.settings.lineLengthLimit());
        this.log = new MailLog(CLIENT_NAME + "[" + client.getHostAddress() + "]");
        this.tlsActive = this.settings.policy().wrapperMode();
    }

    // ---- events from the connection

    void open() {
        log.connect();
        ServerIdentity id = services.identity();
        String banner = id != null ? id.expand(settings.banner())
                : settings.banner().replace("${myhostname}", hostname()).replace("$myhostname", hostname());
        // RFC 2034: the greeting carries no enhanced status code
        out.append(SmtpReply.of(220, (String) null, banner).toWire());
        flush();
    }

    /** @param secured whether the bytes came through TLS (false for all input of a plaintext session) */
    void receive(byte[] bytes, int offset, int length, boolean secured) {
        if (closing) return;
        if (tlsActive && !secured) {
            // Pipelined behind STARTTLS in plaintext: never to be taken as commands (CVE-2011-0411).
            if (!plaintextDropped) log.event("discarding plaintext after STARTTLS");
            plaintextDropped = true;
            return;
        }
        if (paused) {
            stash(bytes, offset, length);
            return;
        }
        process(bytes, offset, length);
        flush();
    }

    void receive(byte[] bytes, int offset, int length) {
        receive(bytes, offset, length, tlsActive);
    }

    /**
     * The I/O thread's offer ({@link org.mailhive.net.InlineGate}): handles the input now when
     * nothing is in progress (no transaction, no message data, no delayed reply, no SASL exchange)
     * and every line is a command that needs only memory ({@link InlineCommands}); false leaves
     * it to the worker untouched. The round trips a client without PIPELINING makes for HELO,
     * MAIL and QUIT then cost no hand-off to a worker and back.
     */
    boolean tryInline(byte[] bytes, int offset, int length, boolean secured) {
        if (closing || closed || paused || tx != null || sasl != null || delayedReply != null || stash != null
                || (tlsActive && !secured) || decoder.inData() || decoder.inChunk() || decoder.pendingLineBytes() != 0
                || !InlineCommands.accept(bytes, offset, length, settings.lineLengthLimit())) {
            return false;
        }
        INLINE_ANSWERS.incrementAndGet();
        receive(bytes, offset, length, secured);
        return true;
    }

    private void process(byte[] bytes, int offset, int length) {
        int used = decoder.feed(bytes, offset, length, this);
        // the decoder stops early for STARTTLS (the rest is dropped) or a delayed reply (kept)
        if (used < length && paused) stash(bytes, offset + used, length - used);
    }

    private void stash(byte[] bytes, int offset, int length) {
        if (stash == null) stash = new ByteArrayOutputStream();
        if (stash.size() + length > MAX_STASH) {
            log.event("too much input while a reply was delayed");
            closing = true;
            stash = null;
            flush();
            return;
        }
        stash.write(bytes, offset, length);
    }

    /** After a delayed reply's time is up: send it and go on with the input that waited. */
    void resume() {
        if (closed || !paused) return;
        paused = false;
        out.append(delayedReply);
        delayedReply = null;
        ByteArrayOutputStream waiting = stash;
        stash = null;
        if (!closing && waiting != null) {
            byte[] b = waiting.toByteArray();
            process(b, 0, b.length);
        }
        flush();
    }

    boolean paused() {
        return paused;
    }

    void idle() {
        if (closing) return;
        log.event("timeout after " + lastVerb);
        out.append(Replies.withHost(hostname(), Replies.TIMEOUT).toWire());
        closing = true;
        flush();
    }

    /** Whether {@link #closed} would touch no file: no transaction with a message being written. */
    boolean closesWithoutDisk() {
        return tx == null;
    }

    /** The connection is gone: nothing half-written may stay behind. */
    void closed() {
        if (closed) return;
        closed = true;
        closing = true;
        if (tx != null) tx.abortDraft();
        tx = null;
        if (!quit) log.event("lost connection after " + lastVerb);
        log.disconnect();
    }

    // ---- decoder events

    @Override
    public void commandLine(String line) {
        if (closing) return;
        if (sasl != null) {
            SaslExchange exchange = sasl;
            sasl = null;
            replyIfAny(AuthCommand.continueExchange(this, exchange, line));
            return;
        }
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String argument = sp < 0 ? "" : line.substring(sp + 1).strip();
        SmtpCommand command = CommandTable.find(verb);
        SmtpReply r;
        if (command == null) {
            lastVerb = "UNKNOWN";
            r = CommandTable.known(verb) ? Replies.NOT_IMPLEMENTED : Replies.UNKNOWN_COMMAND;
            log.count("unknown", false);
        } else {
            lastVerb = verb;
            try {
                r = command.execute(this, argument);
            } catch (RuntimeException e) {
                LOG.error("listener {}: {} failed", settings.name(), verb, e);
                r = Replies.UNAVAILABLE;
            }
            // DATA and BDAT are counted when the message has been answered; null = answered later
            if (r != null && r.code() != 354 && !verb.equals("BDAT")) {
                log.count(verb.toLowerCase(Locale.ROOT), r.isPositive());
            }
        }
        replyIfAny(r);
    }

    private void replyIfAny(SmtpReply r) {
        if (r != null) reply(r);
    }

    @Override
    public void commandError(SmtpReply reply) {
        if (closing) return;
        sasl = null;
        reply(reply);
    }

    @Override
    public void dataChunk(byte[] bytes, int offset, int length) {
        intake.content(bytes, offset, length);
    }

    @Override
    public void dataLimitExceeded() {
        if (tx != null) tx.abortDraft();
    }

    @Override
    public void dataEnd(SmtpDecoder.DataSummary summary) {
        intake.dataEnd(summary);
    }

    @Override
    public void chunkEnd() {
        intake.chunkEnd();
    }

    // ---- used by the commands

    ListenerSettings settings() {
        return settings;
    }

    /** Takes the listener's current settings; called when a transaction starts. */
    void refreshSettings() {
        ListenerSettings next = current.get();
        if (next != null) settings = next;
    }

    SmtpServices services() {
        return services;
    }

    Transaction transaction() {
        return tx;
    }

    String hostname() {
        ServerIdentity id = services.identity();
        return id != null ? id.myhostname() : "localhost";
    }

    String myorigin() {
        ServerIdentity id = services.identity();
        return id != null ? id.myorigin() : hostname();
    }

    /** RFC 3848: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA. */
    String protocol() {
        if (!esmtp) return "SMTP";
        return "ESMTP" + (tlsActive ? "S" : "") + (authUser != null ? "A" : "");
    }

    void helo(String name, boolean extended) {
        helo = name;
        esmtp = extended;
        resetTransaction();
    }

    SmtpReply resetTransaction() {
        if (tx != null) tx.abortDraft();
        tx = null;
        return Replies.OK;
    }

    SmtpReply quit() {
        quit = true;
        closing = true;
        return Replies.BYE;
    }

    /** Sends this reply, then closes: the input can no longer be trusted to be in step. */
    SmtpReply closeAfter(SmtpReply r) {
        log.event("unsynchronized input after " + lastVerb);
        closing = true;
        return r;
    }

    void beginTransaction(Transaction t) {
        tx = t;
    }

    /** The draft is open: the bytes after the DATA line are the message. */
    void beginData(MessageDraft draft) {
        decoder.startData(settings.messageSizeLimit());
    }

    void draftOpened(MessageDraft draft) {
        tx.draft = draft;
        tx.queueId = draft.id().value();
        log.queued(tx.queueId, authMethod, authUser);
    }

    /** Reads {@code size} octets as BDAT data; the reply comes at the chunk's end. */
    void beginChunk(BdatChunk c) {
        if (intake.beginChunk(c)) decoder.startChunk(c.size());
    }

    /** The message is answered: the transaction is over, whatever the answer. */
    void endTransaction() {
        tx = null;
    }

    MailLog mailLog() {
        return log;
    }

    SmtpReply evaluateRecipient(Recipient rcpt) {
        return Restrictions.recipient(settings, services, this, rcpt);
    }

    void logReject(String stage, SmtpReply reply, MailAddress rcpt) {
        log.reject(null, stage, reply, tx == null ? null : tx.sender, rcpt, protocol(), helo);
    }

    // ---- TLS

    boolean tlsActive() {
        return tlsActive;
    }

    /** What EHLO may offer now: STARTTLS when a provider is there and TLS is not yet on. */
    boolean startTlsOffered() {
        return !tlsActive && settings.policy().tlsOffered() && services.tls() != null;
    }

    String tlsDescription() {
        return tlsActive ? connection.tlsDescription() : null;
    }

    /**
     * Sends what is pending and the 220 in plaintext, puts TLS under the connection, drops the
     * rest of the input at hand and forgets everything learnt in plaintext (RFC 3207 section 4.2).
     * @return null when started (the 220 is already on its way), else the reply to give
     */
    SmtpReply startTls() {
        String text = out + Replies.READY_TLS.toWire();
        if (!connection.startTls(text)) return Replies.TLS_UNAVAILABLE;
        out.setLength(0);
        log.count("starttls", true);
        tlsActive = true;
        decoder.stop();
        resetTransaction();
        helo = "";
        esmtp = false;
        authUser = null;
        authMethod = null;
        return null;
    }

    // ---- AUTH

    boolean clientIsLoopback() {
        return client.isLoopbackAddress();
    }

    void awaitSaslResponse(SaslExchange exchange) {
        sasl = exchange;
    }

    void authenticated(String user, String method) {
        authUser = user;
        authMethod = method;
        authFailures = 0;
    }

    String authMethod() {
        return authMethod;
    }

    int countAuthFailure() {
        return ++authFailures;
    }

    void logAuthFailure(String method, String username) {
        log.saslFailed(method, username);
    }

    void logEvent(String what) {
        log.event(what + " after " + lastVerb);
    }

    /**
     * Gives {@code text} after {@code delay} without holding a thread: reading stops, input
     * already here waits behind the reply, and the connection closes after it when asked.
     */
    void delayReply(String text, java.time.Duration delay, boolean thenClose) {
        errors++;
        if (thenClose) closing = true;
        if (delay.isZero()) {
            out.append(text);
            return;
        }
        paused = true;
        delayedReply = text;
        decoder.stop();
        connection.resumeLater(delay);
    }

    // ---- output

    void reply(SmtpReply r) {
        out.append(r.toWire());
        if (r.code() >= 400 && !closing && ++errors >= settings.hardErrorLimit()) {
            log.event("too many errors after " + lastVerb);
            out.append(Replies.withHost(hostname(), Replies.TOO_MANY_ERRORS).toWire());
            closing = true;
        }
    }

    private void flush() {
        if (out.length() > 0) {
            connection.write(out.toString());
            out.setLength(0);
        }
        if (closing && !closed && !paused) connection.close();
    }

    // ---- SmtpContext

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    @Override
    public String clientName() {
        return CLIENT_NAME;
    }

    @Override
    public String helo() {
        return helo;
    }

    @Override
    public String listener() {
        return settings.name();
    }

    @Override
    public boolean tls() {
        return tlsActive;
    }

    @Override
    public Optional<String> authenticatedUser() {
        return Optional.ofNullable(authUser);
    }

    @Override
    public MailAddress sender() {
        return tx == null ? null : tx.sender;
    }

    @Override
    public List<Recipient> recipients() {
        return tx == null ? List.of() : List.copyOf(tx.recipients);
    }
}
