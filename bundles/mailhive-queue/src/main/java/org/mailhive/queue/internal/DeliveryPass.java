package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailhive.api.bounce.BounceService;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressResolver;
import org.mailhive.api.rewrite.Resolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt of one message: incoming → active, resolve, hand each (transport, nexthop)
 * group to its agent, record the outcome, then remove the message or defer it. The message
 * directory is deleted only after every recipient is finished, i.e. after the agents said SENT.
 */
final class DeliveryPass {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPass.class);
    private static final Logger QMGR = LoggerFactory.getLogger("mail.qmgr");
    private static final String TEMP_FAILURE = "4.3.0";
    static final String EXPIRED_DSN = "5.4.7";
    /** The key under which messages wait for a bounce service (no transport has this name). */
    static final String BOUNCE_SERVICE = "<bounce>";
    /** Envelope attribute given to the bounce service: arrival in epoch milliseconds (its Arrival-Date). */
    static final String ARRIVAL_ATTRIBUTE = "queue.arrival";
    /** What the operator asked for while the message was being delivered (see {@link QueueAdminOps}). */
    static final String MARK_DELETE = "delete";
    static final String MARK_HOLD = "hold";

    /** Told where a deferred message waits and, when a service was missing, which one. */
    interface DeferListener {
        void deferred(String id, Instant nextTry, Set<String> missingTransports, boolean resolverMissing);
    }

    /** How soon a message postponed by a destination concurrency limit is tried again. */
    static final Duration POSTPONE = Duration.ofSeconds(1);

    private record Route(String transport, String nexthop) {
    }

    private final QueueDirectory dirs;
    private final Clock clock;
    private final Supplier<AddressResolver> resolvers;
    private final Function<String, DeliveryAgent> agents;
    private final Supplier<QueueSettings> settings;
    private final DeferListener deferListener;
    private final Supplier<BounceService> bounces;
    private final Function<String, String> marks;
    private final DestinationLimits limits = new DestinationLimits();

    DeliveryPass(QueueDirectory dirs, Clock clock, Supplier<AddressResolver> resolvers,
            Function<String, DeliveryAgent> agents, Supplier<QueueSettings> settings, DeferListener deferListener) {
        this(dirs, clock, resolvers, agents, settings, deferListener, () -> null, id -> null);
    }

    /**
     * @param marks removes and returns the operator's mark for a message ({@link #MARK_DELETE},
     *     {@link #MARK_HOLD}) or null; asked when the pass ends
     */
    DeliveryPass(QueueDirectory dirs, Clock clock, Supplier<AddressResolver> resolvers,
            Function<String, DeliveryAgent> agents, Supplier<QueueSettings> settings, DeferListener deferListener,
            Supplier<BounceService> bounces, Function<String, String> marks) {
        this.dirs = dirs;
        this.clock = clock;
        this.resolvers = resolvers;
        this.agents = agents;
        this.settings = settings;
        this.deferListener = deferListener;
        this.bounces = bounces;
        this.marks = marks;
    }

    void deliver(String id) {
        Path dir = dirs.active.resolve(id);
        try {
            if (!dirs.move(dirs.incoming, dirs.active, id)) return;
        } catch (IOException e) {
            LOG.error("{}: cannot move into {}: {}", id, dirs.active, e.toString());
            return;
        }
        QueueDirectory.Entry entry;
        try {
            entry = dirs.read(dir);
        } catch (IOException e) {
            LOG.error("{}: unreadable, moved to hold: {}", id, e.toString());
            moveQuietly(dirs.active, dirs.hold, id);
            return;
        }
        QueueFile file = entry.file();
        try {
            attempt(id, dir, entry);
        } catch (IOException | RuntimeException e) {
            // the old envelope stays: recipients may be tried again, never lost
            LOG.error("{}: delivery pass failed, deferring", id, e);
            Instant next = clock.instant().plus(settings.get().minimalBackoff());
            try {
                if (entry.pristine()) {
                    // the deferred scan takes the next try from the envelope file's time
                    dirs.replaceEnvelope(dir, file, next);
                } else {
                    Files.setLastModifiedTime(dir.resolve(QueueDirectory.ENVELOPE), FileTime.from(next));
                }
            } catch (IOException ignored) {
                // then it is retried at the next deferred scan, which is harmless
            }
            String mark = marks.apply(id);
            if (MARK_DELETE.equals(mark)) {
                removeQuietly(dir, id);
                return;
            }
            moveQuietly(dirs.active, MARK_HOLD.equals(mark) ? dirs.hold : dirs.deferred, id);
            deferListener.deferred(id, next, Set.of(), false);
        }
    }

    private void attempt(String id, Path dir, QueueDirectory.Entry entry) throws IOException {
        QueueFile file = entry.file();
        QueueSettings cfg = settings.get();
        List<QueuedRecipient> rcpts = new ArrayList<>(file.recipients());
        Set<String> missing = new LinkedHashSet<>();
        boolean resolverMissing = false;

        AddressResolver resolver = resolvers.get();
        Map<Route, List<Integer>> groups = new LinkedHashMap<>();
        Map<Integer, Resolution> resolved = new LinkedHashMap<>();
        for (int i = 0; i < rcpts.size(); i++) {
            QueuedRecipient r = rcpts.get(i);
            if (!r.status().open()) continue;
            if (resolver == null) {
                resolverMissing = true;
                rcpts.set(i, record(id, file, r, null, "qmgr", "none", DeliveryStatus.DEFERRED, TEMP_FAILURE,
                        "address resolver unavailable"));
                continue;
            }
            try {
                Resolution res = resolver.resolve(r.recipient().address());
                if (res == null || res.transport() == null || res.transport().isEmpty()) {
                    throw new IllegalStateException("no transport for " + r.recipient().address());
                }
                resolved.put(i, res);
                groups.computeIfAbsent(new Route(res.transport(), res.nexthop() == null ? "" : res.nexthop()),
                        k -> new ArrayList<>()).add(i);
            } catch (RuntimeException e) {
                LOG.warn("{}: resolving {} failed: {}", id, r.recipient().address(), e.toString());
                rcpts.set(i, record(id, file, r, null, "qmgr", "none", DeliveryStatus.DEFERRED, TEMP_FAILURE,
                        "address resolver failed"));
            }
        }

        FileContent content = entry.content();
        boolean attempted = false;
        boolean postponed = false;
        for (Map.Entry<Route, List<Integer>> g : groups.entrySet()) {
            String transport = g.getKey().transport();
            String destination = transport + ":" + g.getKey().nexthop();
            DeliveryAgent agent = agents.apply(transport);
            if (agent == null) {
                attempted = true;
                missing.add(transport);
                for (int i : g.getValue()) {
                    rcpts.set(i, record(id, file, rcpts.get(i), resolved.get(i), "qmgr", "none",
                            DeliveryStatus.DEFERRED, TEMP_FAILURE, "transport " + transport + " unavailable"));
                }
                continue;
            }
            if (!limits.tryAcquire(destination, cfg.destinationLimit())) {
                // the recipients stay pending: tried again in a moment, not counted as an attempt
                postponed = true;
                continue;
            }
            attempted = true;
            List<Resolution> batch = g.getValue().stream().map(resolved::get).toList();
            List<RecipientResult> results;
            String failure = null;
            try {
                results = agent.deliver(new DeliveryRequest(new QueueId(id), file.envelope(), batch, content));
                if (results == null) results = List.of();
            } catch (Exception e) {
                LOG.warn("{}: transport {} failed: {}", id, transport, e.toString());
                LOG.debug("{}: transport {} failure", id, transport, e);
                results = List.of();
                failure = "delivery failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } finally {
                limits.release(destination);
            }
            List<RecipientResult> unmatched = new ArrayList<>(results);
            for (int i : g.getValue()) {
                Resolution res = resolved.get(i);
                RecipientResult rr = take(unmatched, res.address());
                if (rr == null) {
                    rr = RecipientResult.deferred(res.address(), EnhancedStatus.of(4, 3, 0),
                            transport, failure != null ? failure : "no result from transport " + transport);
                }
                QueuedRecipient done = record(id, file, rcpts.get(i), res, transport,
                        rr.relay() == null ? transport : rr.relay(), rr.status(),
                        rr.dsn() == null ? "" : rr.dsn().toString(), rr.reason());
                rcpts.set(i, done);
            }
        }

        Instant now = clock.instant();
        if (!Duration.between(file.arrival(), now).minus(cfg.maximalLifetime()).isNegative()) {
            for (int i = 0; i < rcpts.size(); i++) {
                QueuedRecipient r = rcpts.get(i);
                if (r.status() == RecipientStatus.DEFERRED) {
                    rcpts.set(i, record(id, file, r, null, "qmgr", "none", DeliveryStatus.BOUNCED,
                            EXPIRED_DSN, "message expired: " + r.reason()));
                }
            }
        }
        QueueFile updated = notifySender(id, file.withRecipients(rcpts), content, missing);

        String mark = marks.apply(id);
        if (MARK_DELETE.equals(mark) || !updated.unfinished()) {
            dirs.pool.release(dir, entry.pristine());
            QMGR.info("{}: removed{}", id, MARK_DELETE.equals(mark) ? " (deleted by the operator)" : "");
            return;
        }
        // only postponed by a full destination: no attempt was made, so no backoff either
        boolean onlyPostponed = postponed && !attempted;
        int attempts = onlyPostponed ? updated.attempts() : updated.attempts() + 1;
        Instant next = onlyPostponed ? now.plus(POSTPONE) : now.plus(cfg.backoff(attempts));
        String reason = rcpts.stream().filter(r -> r.status().open()).map(QueuedRecipient::reason)
                .findFirst().orElse("");
        updated = updated.withAttempt(attempts, next, reason);
        dirs.replaceEnvelope(dir, updated, next);
        Path target = MARK_HOLD.equals(mark) ? dirs.hold : dirs.deferred;
        dirs.ops.move(dir, target.resolve(id));
        dirs.ops.fsyncDirectory(target);
        if (target == dirs.deferred) deferListener.deferred(id, next, missing, resolverMissing);
    }

    /**
     * Tells the sender about recipients that failed for good (status BOUNCING) and, once per
     * message, about a long delay. A recipient is BOUNCED (finished) only after the bounce service
     * queued the notice; without the service, or when it fails for now, it stays BOUNCING and keeps
     * the message queued for the next pass.
     */
    QueueFile notifySender(String id, QueueFile file, MessageContent content, Set<String> missing) {
        List<QueuedRecipient> rcpts = new ArrayList<>(file.recipients());
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < rcpts.size(); i++) {
            if (rcpts.get(i).status() == RecipientStatus.BOUNCING) failed.add(i);
        }
        BounceService service = bounces.get();
        if (!failed.isEmpty()) {
            if (service == null) {
                QMGR.info("{}: sender non-delivery notification postponed: no bounce service", id);
                missing.add(BOUNCE_SERVICE);
            } else {
                try {
                    service.bounce(new QueueId(id), envelopeForNotice(file), content,
                            failed.stream().map(i -> result(rcpts.get(i), DeliveryStatus.BOUNCED)).toList());
                    for (int i : failed) rcpts.set(i, rcpts.get(i).withStatus(RecipientStatus.BOUNCED));
                } catch (MailException e) {
                    if (e.isTemporary()) {
                        LOG.warn("{}: sender non-delivery notification postponed: {}", id, e.getMessage());
                    } else {
                        LOG.error("{}: sender non-delivery notification impossible, not retried: {} ({})", id,
                                e.reply(), e.getMessage());
                        for (int i : failed) rcpts.set(i, rcpts.get(i).withStatus(RecipientStatus.BOUNCED));
                    }
                } catch (RuntimeException e) {
                    LOG.error("{}: bounce service failed; notification postponed", id, e);
                }
            }
        }
        QueueFile updated = file.withRecipients(rcpts);
        Duration warn = settings.get().delayWarning();
        if (service == null || warn.isZero() || updated.warned()
                || Duration.between(file.arrival(), clock.instant()).compareTo(warn) < 0) {
            return updated;
        }
        List<RecipientResult> deferred = rcpts.stream().filter(r -> r.status() == RecipientStatus.DEFERRED)
                .map(r -> result(r, DeliveryStatus.DEFERRED)).toList();
        if (deferred.isEmpty()) return updated;
        try {
            service.delayed(new QueueId(id), envelopeForNotice(file), content, deferred);
            return updated.withWarned();
        } catch (MailException | RuntimeException e) {
            LOG.warn("{}: delay notification postponed: {}", id, e.getMessage());
            return updated;
        }
    }

    private static Envelope envelopeForNotice(QueueFile file) {
        Envelope e = file.envelope();
        Map<String, String> attrs = new LinkedHashMap<>(e.attributes());
        attrs.put(ARRIVAL_ATTRIBUTE, Long.toString(file.arrival().toEpochMilli()));
        return new Envelope(e.sender(), e.recipients(), attrs);
    }

    private static RecipientResult result(QueuedRecipient r, DeliveryStatus status) {
        EnhancedStatus dsn;
        try {
            dsn = r.dsn().isEmpty() ? null : EnhancedStatus.parse(r.dsn());
        } catch (IllegalArgumentException e) {
            dsn = null;
        }
        if (dsn == null) dsn = status == DeliveryStatus.BOUNCED ? EnhancedStatus.of(5, 0, 0) : EnhancedStatus.of(4, 0, 0);
        return new RecipientResult(r.recipient().address(), status, dsn, r.relay(), r.reason());
    }

    private static RecipientResult take(List<RecipientResult> results, MailAddress address) {
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < results.size(); k++) {
                MailAddress a = results.get(k).recipient();
                if (a == null) continue;
                if (pass == 0 ? a.equals(address) : a.lookupKey().equals(address.lookupKey())) {
                    return results.remove(k);
                }
            }
        }
        return null;
    }

    /** Applies one outcome and writes its Postfix-style line to {@code mail.<daemon>}. */
    private QueuedRecipient record(String id, QueueFile file, QueuedRecipient r, Resolution res, String daemon,
            String relay, DeliveryStatus status, String dsn, String reason) {
        RecipientStatus st = switch (status) {
            case SENT -> RecipientStatus.SENT;
            case BOUNCED -> RecipientStatus.BOUNCING;
            default -> RecipientStatus.DEFERRED;
        };
        String why = reason == null ? "" : reason.replace('\r', ' ').replace('\n', ' ');
        MailAddress orig = r.recipient().address();
        MailAddress to = res == null ? orig : res.address();
        double delay = Duration.between(file.arrival(), clock.instant()).toMillis() / 1000.0;
        LoggerFactory.getLogger("mail." + daemonName(daemon)).info(
                "{}: to=<{}>,{} relay={}, delay={}, dsn={}, status={} ({})", id, to,
                to.equals(orig) ? "" : " orig_to=<" + orig + ">,", relay,
                String.format(Locale.ROOT, "%.2f", Math.max(0, delay)), dsn.isEmpty() ? "-" : dsn,
                status.name().toLowerCase(Locale.ROOT), why);
        return r.with(st, dsn, why, relay);
    }

    /** A transport name made safe for a logger name. */
    private static String daemonName(String transport) {
        return transport.matches("[A-Za-z0-9_-]+") ? transport : "qmgr";
    }

    private void removeQuietly(Path dir, String id) {
        try {
            QueueDirectory.deleteTree(dir);
            QMGR.info("{}: removed (deleted by the operator)", id);
        } catch (IOException e) {
            LOG.error("{}: cannot remove {}: {}", id, dir, e.toString());
        }
    }

    private void moveQuietly(Path from, Path to, String id) {
        try {
            dirs.move(from, to, id);
        } catch (IOException e) {
            LOG.error("{}: cannot move from {} to {}: {}", id, from, to, e.toString());
        }
    }
}
