package org.mailhive.bounce.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailhive.api.bounce.BounceService;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's bounce(8): builds delivery status notifications and submits them through the
 * MessageSink with the null sender. Notices are marked in their envelope so that one which
 * cannot be delivered either is dropped instead of producing another: bounces never loop.
 */
@Component(service = BounceService.class, configurationPid = "org.mailhive.bounce")
@Designate(ocd = BounceConfig.class)
public final class DsnService implements BounceService {

    /** Envelope attribute on every notice this service submits: {@link #KIND_DSN} or {@link #KIND_POSTMASTER}. */
    static final String KIND = "bounce.kind";
    static final String KIND_DSN = "dsn";
    /** A notice to the postmaster: when it fails, nobody else is told. */
    static final String KIND_POSTMASTER = "2bounce";

    private static final Logger LOG = LoggerFactory.getLogger(DsnService.class);
    private static final Logger BOUNCE = LoggerFactory.getLogger("mail.bounce");

    /**
     * Optional and dynamic on purpose: the queue binds this service, and a mandatory sink would make
     * activating it need cleanup, which needs the queue that is still activating — a cycle SCR
     * refuses, leaving the queue without a bounce service. Without a sink a bounce fails for now and
     * the message stays queued.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MessageSink sink;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerIdentity identity;

    private final Clock clock;
    private volatile BounceSettings settings = BounceSettings.DEFAULTS;
    private volatile String systemHost;

    public DsnService() {
        this.clock = Clock.systemDefaultZone();
    }

    DsnService(MessageSink sink, ServerIdentity identity, Clock clock) {
        this.sink = sink;
        this.identity = identity;
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Settings s = new Settings(properties);
        BounceSettings next = BounceSettings.from(s);
        if (!s.ok()) {
            s.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            return;
        }
        settings = next;
    }

    @Override
    public void bounce(QueueId id, Envelope envelope, MessageContent original, List<RecipientResult> failed)
            throws MailException {
        BounceSettings cfg = settings;
        if (failed.isEmpty()) return;
        if (envelope.sender().isNullSender()) {
            if (KIND_POSTMASTER.equals(envelope.attribute(KIND, ""))) {
                BOUNCE.info("{}: undeliverable postmaster notification discarded", id);
                return;
            }
            QueueId sent = send(notice(Notice.Kind.DOUBLE_BOUNCE, id, envelope, failed,
                    postmaster(cfg.doubleBounceRecipient()), true), original, KIND_POSTMASTER);
            BOUNCE.info("{}: postmaster non-delivery notification: {}", id, sent);
            return;
        }
        List<RecipientResult> wanted = wanted(envelope, failed, "FAILURE");
        if (wanted.isEmpty()) {
            BOUNCE.info("{}: sender non-delivery notification not requested (NOTIFY)", id);
        } else {
            boolean headersOnly = "HDRS".equalsIgnoreCase(envelope.attribute(Envelope.DSN_RET, ""))
                    || size(original) > cfg.sizeLimit();
            Notice n = notice(Notice.Kind.FAILED, id, envelope, wanted, envelope.sender(), headersOnly);
            QueueId sent;
            try {
                sent = send(n, original, KIND_DSN);
            } catch (MailException e) {
                if (e.isTemporary() || headersOnly) throw e;
                // e.g. the whole original is over message_size_limit: the headers still tell the sender
                LOG.warn("{}: returning the whole message failed ({}), returning its headers", id, e.getMessage());
                sent = send(notice(Notice.Kind.FAILED, id, envelope, wanted, envelope.sender(), true), original,
                        KIND_DSN);
            }
            BOUNCE.info("{}: sender non-delivery notification: {}", id, sent);
        }
        if (cfg.copyBounces()) {
            try {
                QueueId copy = send(notice(Notice.Kind.POSTMASTER_COPY, id, envelope, failed,
                        postmaster(cfg.bounceNoticeRecipient()), true), original, KIND_POSTMASTER);
                BOUNCE.info("{}: postmaster non-delivery notification: {}", id, copy);
            } catch (MailException e) {
                // the sender's notice is queued; failing here would make the queue send it twice
                LOG.warn("{}: postmaster copy of the non-delivery notification not sent: {}", id, e.getMessage());
            }
        }
    }

    @Override
    public void delayed(QueueId id, Envelope envelope, MessageContent original, List<RecipientResult> deferred)
            throws MailException {
        if (envelope.sender().isNullSender() || deferred.isEmpty()) return;
        List<RecipientResult> wanted = wanted(envelope, deferred, "DELAY");
        if (wanted.isEmpty()) return;
        QueueId sent = send(notice(Notice.Kind.DELAYED, id, envelope, wanted, envelope.sender(), true), original,
                KIND_DSN);
        BOUNCE.info("{}: sender delay notification: {}", id, sent);
    }

    /**
     * The results whose recipient asked for this kind of notice: NOTIFY absent means the default
     * (failures and delays are reported), NEVER means none (RFC 3461 section 4.1).
     */
    static List<RecipientResult> wanted(Envelope envelope, List<RecipientResult> results, String word) {
        List<RecipientResult> out = new ArrayList<>();
        for (RecipientResult r : results) {
            String notify = notifyOf(envelope, r.recipient());
            if (notify == null) {
                out.add(r);
                continue;
            }
            for (String w : notify.split(",")) {
                if (w.trim().equalsIgnoreCase(word)) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    private static String notifyOf(Envelope envelope, MailAddress address) {
        for (Recipient rcpt : envelope.recipients()) {
            if (!rcpt.address().lookupKey().equals(address.lookupKey())) continue;
            for (Map.Entry<String, String> p : rcpt.parameters().entrySet()) {
                if (p.getKey().equalsIgnoreCase(Recipient.NOTIFY)) return p.getValue();
            }
            return null;
        }
        return null;
    }

    private Notice notice(Notice.Kind kind, QueueId id, Envelope envelope, List<RecipientResult> results,
            MailAddress to, boolean headersOnly) {
        return new Notice(kind, hostname(), id, envelope, results, to, headersOnly, ZonedDateTime.now(clock));
    }

    private QueueId send(Notice n, MessageContent original, String kind) throws MailException {
        Envelope env = new Envelope(MailAddress.NULL_SENDER, List.of(Recipient.of(n.to())),
                Map.of(Envelope.SOURCE, "bounce", KIND, kind));
        MessageSink target = sink;
        if (target == null) {
            throw new MailException(SmtpReply.of(451, EnhancedStatus.of(4, 3, 0), "Mail system not ready"),
                    "no MessageSink to submit the notice to");
        }
        MessageDraft draft = target.open(env);
        try {
            OutputStream out = draft.content();
            DsnWriter.write(n, original, out);
            out.flush();
            return draft.commit();
        } catch (IOException | RuntimeException e) {
            draft.abort();
            throw MailException.temporary(n.id() + ": cannot write the delivery status notification: " + e, e);
        } catch (MailException e) {
            draft.abort();
            throw e;
        }
    }

    /** A notice recipient from the configuration; a bare name is qualified with myorigin. */
    MailAddress postmaster(String configured) throws MailException {
        try {
            if (configured.indexOf('@') >= 0) return MailAddress.parse(configured);
            ServerIdentity id = identity;
            String domain = id != null ? id.myorigin() : hostname();
            return MailAddress.parse(configured + "@" + domain.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MailException.temporary("bad notice recipient \"" + configured + "\": " + e.getMessage(), e);
        }
    }

    private static long size(MessageContent content) throws MailException {
        try {
            return content.size();
        } catch (IOException e) {
            throw MailException.temporary("cannot read the returned message: " + e, e);
        }
    }

    private String hostname() {
        ServerIdentity id = identity;
        if (id != null) return id.myhostname();
        String h = systemHost;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (Exception e) {
                h = "localhost";
            }
            systemHost = h;
        }
        return h;
    }
}
