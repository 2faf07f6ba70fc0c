package org.mailhive.smtp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.smtp.SmtpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one SMTP connection and the protocol flow around the commands. Called by one
 * thread at a time (MINA's ordered executor), never on an I/O thread, because writing the
 * message and committing it touch the disk.
 *
 * <p>Replies are collected and written when the input at hand is used up, which answers a
 * PIPELINING group in one write (RFC 2920 section 3.2).
 */
final class SmtpSession implements SmtpContext, SmtpDecoder.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final String CLIENT_NAME = "unknown";

    private final SmtpServices services;
    private final ListenerSettings settings;
    private final Connection connection;
    private final InetAddress client;
    private final SmtpDecoder decoder;
    private final MailLog log;
    private final StringBuilder out = new StringBuilder();

    private String helo = "";
    private boolean esmtp;
    private Transaction tx;
    private int errors;
    private boolean closing;
    private boolean closed;
    private boolean quit;
    private String lastVerb = "CONNECT";

    SmtpSession(SmtpServices services, ListenerSettings settings, Connection connection) {
        this.services = services;
        this.settings = settings;
        this.connection = connection;
        this.client = connection.remoteAddress();
        this.decoder = new SmtpDecoder(settings.lineLengthLimit());
        this.log = new MailLog(CLIENT_NAME + "[" + client.getHostAddress() + "]");
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

    void receive(byte[] bytes, int offset, int length) {
        if (closing) return;
        decoder.feed(bytes, offset, length, this);
        flush();
    }

    void idle() {
        if (closing) return;
        log.event("timeout after " + lastVerb);
        out.append(Replies.withHost(hostname(), Replies.TIMEOUT).toWire());
        closing = true;
        flush();
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
            // DATA is counted when the message has been answered
            if (r.code() != 354) log.count(verb.toLowerCase(Locale.ROOT), r.isPositive());
        }
        reply(r);
    }

    @Override
    public void commandError(SmtpReply reply) {
        if (closing) return;
        reply(reply);
    }

    @Override
    public void dataChunk(byte[] bytes, int offset, int length) {
        Transaction t = tx;
        if (t == null || t.draft == null || t.writeFailed) return;
        try {
            t.draft.content().write(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot write message content", t.draft.id(), e);
            t.writeFailed = true;
            t.abortDraft();
        }
    }

    @Override
    public void dataLimitExceeded() {
        if (tx != null) tx.abortDraft();
    }

    @Override
    public void dataEnd(SmtpDecoder.DataSummary summary) {
        Transaction t = tx;
        if (t == null) return;
        tx = null;
        SmtpReply r;
        String queueId = t.queueId;
        if (summary.bareLineEnding()) {
            r = Replies.BARE_LINE_ENDING;
        } else if (summary.limitExceeded()) {
            r = Replies.SIZE_EXCEEDED;
        } else if (t.draft == null || t.writeFailed) {
            r = Replies.LOCAL_ERROR;
        } else {
            r = commit(t.draft);
        }
        t.abortDraft(); // no-op after a successful commit: the draft was handed over
        if (!r.isPositive()) {
            log.reject(queueId, "END-OF-MESSAGE", r, t.sender, null, protocol(), helo);
        }
        log.count("data", r.isPositive());
        reply(r);
    }

    private SmtpReply commit(MessageDraft draft) {
        try {
            draft.content().flush();
            // Only a returned commit means the message is on disk: then, and only then, 250.
            QueueId id = draft.commit();
            return Replies.queued(id.value());
        } catch (MailException e) {
            LOG.warn("{}: queue did not take the message: {}", draft.id(), e.getMessage());
            draft.abort();
            return e.reply().isPositive() ? Replies.LOCAL_ERROR : e.reply();
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: commit failed", draft.id(), e);
            draft.abort();
            return Replies.LOCAL_ERROR;
        }
    }

    // ---- used by the commands

    ListenerSettings settings() {
        return settings;
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

    String protocol() {
        return esmtp ? "ESMTP" : "SMTP";
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

    void beginTransaction(Transaction t) {
        tx = t;
    }

    void beginData(MessageDraft draft) {
        tx.draft = draft;
        tx.queueId = draft.id().value();
        log.queued(tx.queueId);
        decoder.startData(settings.messageSizeLimit());
    }

    SmtpReply evaluateRecipient(Recipient rcpt) {
        return Restrictions.recipient(settings.recipientRestrictions(), settings.rejectUnlistedRecipient(), services,
                this, rcpt);
    }

    void logReject(String stage, SmtpReply reply, MailAddress rcpt) {
        log.reject(null, stage, reply, tx == null ? null : tx.sender, rcpt, protocol(), helo);
    }

    // ---- output

    private void reply(SmtpReply r) {
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
        if (closing && !closed) connection.close();
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
        return false;
    }

    @Override
    public Optional<String> authenticatedUser() {
        return Optional.empty();
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
