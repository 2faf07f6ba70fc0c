package org.mailhive.smtp.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.rewrite.Resolution;

/**
 * One mail transaction on an open session: MAIL, RCPT for each recipient, DATA and the body,
 * all in one batch when the server offers PIPELINING (RFC 2920). The state moves MAIL → RCPT →
 * DATA → BODY → DONE; every reply decides the recipients it concerns, so the outcome holds one
 * result per recipient whatever happens.
 */
final class Transaction {

    /** The results, and whether the session may carry another transaction. */
    record Outcome(List<RecipientResult> results, boolean reusable, boolean staleSession) {
    }

    private final SmtpConnection c;
    private final ClientSettings cfg;
    private final DeliveryRequest request;
    private final List<MailAddress> recipients;
    private final Map<MailAddress, RecipientResult> decided = new LinkedHashMap<>();
    private final List<MailAddress> accepted = new ArrayList<>();
    private boolean anyReply;

    Transaction(SmtpConnection c, ClientSettings cfg, DeliveryRequest request, List<Resolution> recipients) {
        this.c = c;
        this.cfg = cfg;
        this.request = request;
        this.recipients = recipients.stream().map(Resolution::address).toList();
    }

    /** Where the dialogue is; its wording goes into the reason when the session breaks there. */
    enum Phase {
        MAIL("sending MAIL FROM"),
        RCPT("sending RCPT TO"),
        DATA("sending DATA command"),
        BODY("sending message body"),
        DOT("sending end of data -- message may be sent more than once");

        final String wording;

        Phase(String wording) {
            this.wording = wording;
        }
    }

    /** The replies to the envelope commands; {@code data} is null when DATA was not sent yet. */
    private record EnvelopeReplies(Reply mail, List<Reply> rcpts, Reply data) {
    }

    private Phase phase = Phase.MAIL;

    Outcome run() {
        long size;
        try {
            size = request.content().size();
        } catch (IOException e) {
            decideAll(recipients, RecipientResult.deferred(null, EnhancedStatus.of(4, 3, 0), c.relay(),
                    "cannot read the queue file: " + e.getMessage()));
            return outcome(true, false);
        }
        Outcome refused = refuseLocally(size);
        if (refused != null) return refused;
        try {
            EnvelopeReplies replies = c.capabilities().has("PIPELINING") ? envelopePipelined(size)
                    : envelopeInTurn(size);
            Reply mail = replies.mail();
            if (mail.code() == 421) return sessionEnded(mail);
            if (!mail.positive()) {
                decideAll(recipients, failure(mail, "MAIL FROM"));
                return finishRefusedData(replies.data());
            }
            for (int i = 0; i < recipients.size(); i++) {
                Reply r = replies.rcpts().get(i);
                if (r.positive()) {
                    accepted.add(recipients.get(i));
                } else {
                    decided.put(recipients.get(i), withRecipient(failure(r, "RCPT TO"), recipients.get(i)));
                }
            }
            if (accepted.isEmpty()) return finishRefusedData(replies.data());
            Reply data = replies.data() != null ? replies.data() : command("DATA", Phase.DATA, cfg.dataInitTimeout());
            if (data.code() != 354) {
                decideAll(accepted, failure(data, "DATA"));
                return outcome(data.code() != 421, false);
            }
            Reply done = body();
            decideAll(accepted, done.positive() ? RecipientResult.sent(null, c.relay(), done.text())
                    : failure(done, "end of DATA"));
            return outcome(true, false);
        } catch (IOException e) {
            String reason = SessionFailure.describe(c, e, phase.wording);
            List<MailAddress> open = new ArrayList<>(recipients);
            open.removeAll(decided.keySet());
            decideAll(open, RecipientResult.deferred(null, EnhancedStatus.of(4, 4, 2), c.relay(), reason));
            return outcome(false, !anyReply);
        }
    }

    /** What we know without asking: a message over the server's SIZE, an address it cannot take. */
    private Outcome refuseLocally(long size) {
        long limit = c.capabilities().sizeLimit();
        if (limit > 0 && size > limit) {
            decideAll(recipients, RecipientResult.bounced(null, EnhancedStatus.of(5, 3, 4), c.relay(),
                    "message size " + size + " exceeds size limit " + limit + " of server " + c.peer()));
            return outcome(true, false);
        }
        if (needsSmtpUtf8() && !c.capabilities().has("SMTPUTF8")) {
            decideAll(recipients, RecipientResult.bounced(null, EnhancedStatus.of(5, 6, 7), c.relay(),
                    "SMTPUTF8 is required, but was not offered by host " + c.peer()));
            return outcome(true, false);
        }
        return null;
    }

    /** RFC 2920: MAIL, every RCPT and DATA in one write, then the replies in the same order. */
    private EnvelopeReplies envelopePipelined(long size) throws IOException {
        c.send(mailFrom(size));
        for (MailAddress r : recipients) c.send(rcptTo(r));
        c.send("DATA");
        c.flush(cfg.mailTimeout());
        Reply mail = c.read(cfg.mailTimeout());
        anyReply = true;
        // 421: the server is closing; the other replies never come
        if (mail.code() == 421) return new EnvelopeReplies(mail, List.of(), null);
        phase = Phase.RCPT;
        List<Reply> rcpts = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) rcpts.add(c.read(cfg.rcptTimeout()));
        phase = Phase.DATA;
        return new EnvelopeReplies(mail, rcpts, c.read(cfg.dataInitTimeout()));
    }

    private EnvelopeReplies envelopeInTurn(long size) throws IOException {
        Reply mail = command(mailFrom(size), Phase.MAIL, cfg.mailTimeout());
        anyReply = true;
        List<Reply> rcpts = new ArrayList<>();
        if (mail.positive()) {
            for (MailAddress r : recipients) rcpts.add(command(rcptTo(r), Phase.RCPT, cfg.rcptTimeout()));
        }
        return new EnvelopeReplies(mail, rcpts, null);
    }

    private Reply command(String line, Phase at, Duration timeout) throws IOException {
        phase = at;
        c.send(line);
        c.flush(timeout);
        return c.read(timeout);
    }

    /** The message, dot-stuffed and streamed from the queue file, then the reply to the final dot. */
    private Reply body() throws IOException {
        phase = Phase.BODY;
        try (InputStream in = request.content().openStream()) {
            OutputStream out = c.body(cfg.dataXferTimeout());
            DotStuffing.copy(in, out);
            out.flush();
        }
        phase = Phase.DOT;
        return c.read(cfg.dataDoneTimeout());
    }

    /**
     * 421 to MAIL: the server is closing the session, typically one that waited too long in the
     * cache; the replies to pipelined commands never come, and a fresh session may succeed.
     */
    private Outcome sessionEnded(Reply mail) {
        decideAll(recipients, failure(mail, "MAIL FROM"));
        return outcome(false, true);
    }

    /** After a refused MAIL or no accepted RCPT: a 354 (a non-conforming server) gets an empty message. */
    private Outcome finishRefusedData(Reply data) throws IOException {
        if (data != null && data.code() == 354) {
            c.send(".");
            c.flush(cfg.dataDoneTimeout());
            c.read(cfg.dataDoneTimeout());
        }
        return outcome(true, false);
    }

    private Outcome outcome(boolean reusable, boolean stale) {
        List<RecipientResult> results = new ArrayList<>();
        for (MailAddress r : recipients) results.add(decided.get(r));
        return new Outcome(results, reusable, stale);
    }

    private void decideAll(List<MailAddress> which, RecipientResult template) {
        for (MailAddress r : which) decided.put(r, withRecipient(template, r));
    }

    private static RecipientResult withRecipient(RecipientResult t, MailAddress r) {
        return new RecipientResult(r, t.status(), t.dsn(), t.relay(), t.reason());
    }

    /** 4xx → deferred, 5xx → bounced, with the server's own words; anything else is a protocol error. */
    private RecipientResult failure(Reply r, String command) {
        String reason = "host " + c.peer() + " said: " + r.text() + " (in reply to " + command + " command)";
        if (r.code() >= 500) return RecipientResult.bounced(null, r.status(), c.relay(), reason);
        if (r.code() >= 400) return RecipientResult.deferred(null, r.status(), c.relay(), reason);
        return RecipientResult.deferred(null, EnhancedStatus.of(4, 5, 0), c.relay(),
                "host " + c.peer() + " gave an unexpected reply: " + r.text() + " (in reply to " + command
                        + " command)");
    }

    /** Only non-ASCII addresses need SMTPUTF8; UTF-8 in headers alone goes out as an 8-bit message. */
    private boolean needsSmtpUtf8() {
        if (!"true".equals(request.envelope().attribute(Envelope.SMTPUTF8, ""))) return false;
        if (!isAscii(request.envelope().sender().toString())) return true;
        return recipients.stream().anyMatch(r -> !isAscii(r.toString()));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(ch -> ch < 128);
    }

    String mailFrom(long size) {
        Envelope env = request.envelope();
        StringBuilder sb = new StringBuilder("MAIL FROM:").append(env.sender().toPath());
        SmtpConnection.Capabilities caps = c.capabilities();
        if (caps.has("SIZE")) sb.append(" SIZE=").append(size);
        // an 8-bit body goes out even without 8BITMIME, as Postfix does without MIME conversion
        if (caps.has("8BITMIME") && "8BITMIME".equalsIgnoreCase(env.attribute(Envelope.BODY, ""))) {
            sb.append(" BODY=8BITMIME");
        }
        if (caps.has("SMTPUTF8") && "true".equals(env.attribute(Envelope.SMTPUTF8, ""))) sb.append(" SMTPUTF8");
        if (caps.has("DSN")) {
            String ret = env.attribute(Envelope.DSN_RET, "");
            String envid = env.attribute(Envelope.DSN_ENVID, "");
            if (!ret.isEmpty()) sb.append(" RET=").append(ret);
            if (!envid.isEmpty()) sb.append(" ENVID=").append(envid);
        }
        return sb.toString();
    }

    String rcptTo(MailAddress rcpt) {
        StringBuilder sb = new StringBuilder("RCPT TO:").append(rcpt.toPath());
        if (c.capabilities().has("DSN")) {
            Map<String, String> params = parameters(rcpt);
            String notify = params.get(Recipient.NOTIFY);
            String orcpt = params.get(Recipient.ORCPT);
            if (notify != null) sb.append(" NOTIFY=").append(notify);
            if (orcpt != null) sb.append(" ORCPT=").append(orcpt);
        }
        return sb.toString();
    }

    /** RCPT parameters as received; the queue hands the canonical address, so match on the lookup key. */
    private Map<String, String> parameters(MailAddress rcpt) {
        for (Recipient r : request.envelope().recipients()) {
            if (r.address().lookupKey().equals(rcpt.lookupKey())) return r.parameters();
        }
        return Map.of();
    }
}
