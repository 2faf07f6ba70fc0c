package org.mailhive.queue.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.mailhive.api.bounce.BounceService;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.mailhive.api.config.Settings;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MailQueue;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueAdmin;
import org.mailhive.api.queue.QueueEntry;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressResolver;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue and its manager (Postfix's qmgr). Committed messages are worked on at
 * once; deferred ones return to incoming/ when their next-try time comes (checked every few
 * seconds against the earliest known time, and in a full scan every queue_run_delay).
 * While it runs it holds {@code .qmgr.lock} in the queue directory, which tells the offline
 * {@code bin/mailhive queue} command to send its requests here instead of touching the files.
 */
@Component(service = {MailQueue.class, QueueAdmin.class}, configurationPid = "org.mailhive.queue")
@Designate(ocd = QueueConfig.class)
public final class QueueManager implements MailQueue, QueueAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(QueueManager.class);
    private static final Logger QMGR = LoggerFactory.getLogger("mail.qmgr");
    private static final long CHECK_SECONDS = 5;
    /** Ids remembered per missing service, to retry them when it arrives; beyond this they wait for backoff. */
    private static final int WAITING_LIMIT = 10_000;
    private static final String RESOLVER = "";
    /** How long start waits for an offline queue command to finish with the files. */
    private static final long LOCK_WAIT_MILLIS = 30_000;

    private record AgentEntry(DeliveryAgent agent, String transport, int ranking, long serviceId) {
    }

    private final Clock clock;
    private final DiskOps ops;
    private final List<AgentEntry> agents = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> waiting = new ConcurrentHashMap<>();
    private final AtomicReference<AddressResolver> resolver = new AtomicReference<>();
    private final AtomicReference<BounceService> bounce = new AtomicReference<>();
    private volatile ServiceTracker<BounceService, ServiceReference<BounceService>> bounceTracker;
    private volatile BundleContext bounceContext;
    /** Operator actions waiting for the pass that holds the message in active/ (id → mark). */
    private final Map<String, String> marks = new ConcurrentHashMap<>();
    private volatile QueueAdminOps admin;
    private RequestServer requests;
    private QueueLock lock;
    private volatile QueueSettings settings;
    private String dataDir;

    private volatile QueueDirectory dirs;
    private volatile Scheduler scheduler;
    private QueueIds ids;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService timer;
    private DeliveryPass pass;
    private final Object timeLock = new Object();
    private Instant earliestDeferred = Instant.EPOCH;   // guarded by timeLock
    private Instant lastFullRun = Instant.EPOCH;        // guarded by timeLock

    public QueueManager() {
        this(Clock.systemUTC(), RealDiskOps.INSTANCE);
    }

    QueueManager(Clock clock, DiskOps ops) {
        this.clock = clock;
        this.ops = ops;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws IOException {
        dataDir = context.getProperty("mailhive.data");
        configure(properties);
        trackBounce(context);
        try {
            start(settings, true);
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Modified
    void configure(Map<String, Object> properties) {
        Settings s = new Settings(properties);
        QueueSettings next = QueueSettings.from(s, dataDir);
        if (!s.ok()) {
            s.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            if (settings == null) settings = QueueSettings.from(new Settings(Map.of()), dataDir);
            return;
        }
        QueueSettings prev = settings;
        settings = next;
        if (prev != null && !prev.directory().equals(next.directory())) {
            LOG.warn("queue_directory changed to {}: takes effect when the queue manager restarts", next.directory());
            settings = next.withDirectory(prev.directory());
        }
        ThreadPoolExecutor w = workers;
        if (w != null && w.getCorePoolSize() != settings.concurrency()) {
            if (settings.concurrency() > w.getMaximumPoolSize()) {
                w.setMaximumPoolSize(settings.concurrency());
                w.setCorePoolSize(settings.concurrency());
            } else {
                w.setCorePoolSize(settings.concurrency());
                w.setMaximumPoolSize(settings.concurrency());
            }
        }
        Scheduler sch = scheduler;
        if (sch != null) sch.setWindow(settings.activeWindow());
    }

    /** Creates the layout, adopts tmp/ as free entries, recovers active/ and schedules what waits. */
    synchronized void start(QueueSettings config, boolean timers) throws IOException {
        settings = config;
        QueueDirectory d = new QueueDirectory(config.directory(), ops);
        d.createLayout();
        lock = QueueLock.acquire(d.lockFile, LOCK_WAIT_MILLIS);
        // drafts a crash interrupted were never acknowledged: their directories are reused
        int stale = d.pool.open();
        int recovered = d.recoverActive();
        if (stale > 0 || recovered > 0) {
            LOG.info("queue {}: emptied {} unfinished queue file(s) in tmp/, recovered {} interrupted deliveries",
                    config.directory(), stale, recovered);
        }
        ids = new QueueIds(clock);
        d.seed(ids);
        workers = new ThreadPoolExecutor(config.concurrency(), config.concurrency(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("mailhive-qmgr-"));
        pass = new DeliveryPass(d, clock, resolver::get, this::findAgent, () -> settings, this::deferred,
                this::currentBounce, marks::remove);
        scheduler = new Scheduler(d, workers, config.activeWindow(), pass::deliver);
        admin = new QueueAdminOps(d, new QueueAdminOps.Hooks() {
            @Override
            public boolean mark(String id, String mark) {
                marks.put(id, mark);
                return true;
            }

            @Override
            public void unmark(String id) {
                marks.remove(id);
            }

            @Override
            public void scheduled() {
                Scheduler s = scheduler;
                if (s != null) s.refill();
            }
        });
        dirs = d;
        requests = new RequestServer(d.requests, this);
        requests.start();
        scheduler.refill();
        runDeferred(false);
        if (timers) {
            timer = Executors.newSingleThreadScheduledExecutor(threads("mailhive-qmgr-timer-"));
            timer.scheduleWithFixedDelay(this::tick, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    synchronized void stop() {
        if (bounceTracker != null) bounceTracker.close();
        bounceTracker = null;
        dirs = null;
        admin = null;
        if (requests != null) requests.stop();
        requests = null;
        if (timer != null) timer.shutdownNow();
        if (workers != null) {
            // queued messages stay in incoming/ for the next start; running ones may finish
            workers.getQueue().clear();
            workers.shutdown();
            try {
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) workers.shutdownNow();
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        timer = null;
        workers = null;
        if (lock != null) lock.release();
        lock = null;
    }

    private QueueAdminOps admin() throws IOException {
        QueueAdminOps a = admin;
        if (a == null) throw new IOException("queue manager is not running");
        return a;
    }

    @Override
    public List<QueueEntry> list() throws IOException {
        return admin().list();
    }

    @Override
    public Optional<QueueEntry> show(QueueId id) throws IOException {
        return admin().show(id);
    }

    @Override
    public Optional<String> headers(QueueId id) throws IOException {
        return admin().headers(id);
    }

    @Override
    public int flush(String domainOrNull) throws IOException {
        return admin().flush(domainOrNull);
    }

    @Override
    public int delete(List<String> ids) throws IOException {
        return admin().delete(ids);
    }

    @Override
    public int hold(List<String> ids) throws IOException {
        return admin().hold(ids);
    }

    @Override
    public int release(List<String> ids) throws IOException {
        return admin().release(ids);
    }

    @Override
    public int requeue(List<String> ids) throws IOException {
        return admin().requeue(ids);
    }

    @Override
    public MessageDraft create(Envelope envelope) throws MailException {
        QueueDirectory d = dirs;
        if (d == null) throw MailException.temporary("queue manager is not running", null);
        String id = null;
        // a delivered message's directory when one is free: no new inodes, no rename (see EntryPool)
        Path dir = d.pool.take();
        try {
            if (dir != null) {
                // newer than anything queued (seeded at start): no other message has this id
                id = ids.next();
            } else {
                for (int tries = 0; tries < 1000 && id == null; tries++) {
                    String candidate = ids.next();
                    if (d.claim(candidate)) {
                        id = candidate;
                        dir = d.tmp.resolve(candidate);
                    }
                }
            }
            if (id == null) throw new IOException("no free queue id");
            return new FileDraft(d, new QueueId(id), dir, QueueFile.fresh(envelope, clock.instant()), this::committed);
        } catch (IOException | RuntimeException e) {
            if (dir != null) {
                try {
                    QueueDirectory.deleteTree(dir);
                } catch (IOException ignored) {
                    // adopted from tmp/ at the next start
                }
            }
            throw MailException.temporary("cannot create queue file: " + e, e);
        }
    }

    private void committed(QueueId id, QueueFile file, long size) {
        QMGR.info("{}: from=<{}>, size={}, nrcpt={} (queue active)", id, file.sender(), size,
                file.recipients().size());
        Scheduler s = scheduler;
        if (s != null) s.offer(id.value());
    }

    private void deferred(String id, Instant nextTry, Set<String> missing, boolean resolverMissing) {
        synchronized (timeLock) {
            if (nextTry.isBefore(earliestDeferred)) earliestDeferred = nextTry;
        }
        for (String t : missing) remember(t, id);
        if (resolverMissing) remember(RESOLVER, id);
    }

    private void remember(String key, String id) {
        Set<String> set = waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        if (set.size() < WAITING_LIMIT) set.add(id);
    }

    /** Every few seconds: due deferred messages back to incoming, and the full run when it is time. */
    private void tick() {
        try {
            Instant now = clock.instant();
            boolean full;
            boolean due;
            synchronized (timeLock) {
                full = !now.isBefore(lastFullRun.plus(settings.queueRunDelay()));
                due = !now.isBefore(earliestDeferred);
                if (full) lastFullRun = now;
            }
            if (full || due) runDeferred(false);
            Scheduler s = scheduler;
            if (full && s != null) s.refill();
        } catch (RuntimeException e) {
            LOG.error("queue run failed", e);
        }
    }

    /** Moves deferred messages whose next try has come (or all of them) back to incoming/ and schedules. */
    void runDeferred(boolean all) {
        QueueDirectory d = dirs;
        Scheduler s = scheduler;
        if (d == null || s == null) return;
        Instant now = clock.instant();
        Instant earliest = Instant.MAX;
        synchronized (timeLock) {
            earliestDeferred = Instant.MAX;
        }
        int moved = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.deferred)) {
            for (Path p : ds) {
                Instant hint = QueueDirectory.nextTryHint(p);
                if (all || !hint.isAfter(now)) {
                    if (d.move(d.deferred, d.incoming, p.getFileName().toString())) moved++;
                } else if (hint.isBefore(earliest)) {
                    earliest = hint;
                }
            }
            if (moved > 0) ops.fsyncDirectory(d.incoming);
        } catch (IOException e) {
            LOG.error("cannot scan {}: {}", d.deferred, e.toString());
            earliest = now.plusSeconds(CHECK_SECONDS);
        }
        synchronized (timeLock) {
            if (earliest.isBefore(earliestDeferred)) earliestDeferred = earliest;
        }
        if (moved > 0) s.refill();
    }

    /** Retries at once what waited only for a service that has now arrived. */
    private void retryWaiting(String key) {
        Set<String> set = waiting.remove(key);
        QueueDirectory d = dirs;
        Scheduler s = scheduler;
        if (set == null || set.isEmpty() || d == null || s == null) return;
        List<String> ids = new ArrayList<>(set);
        Runnable r = () -> {
            int moved = 0;
            for (String id : ids) {
                try {
                    if (d.move(d.deferred, d.incoming, id)) moved++;
                } catch (IOException e) {
                    LOG.warn("{}: cannot move back to incoming: {}", id, e.toString());
                }
            }
            if (moved > 0) s.refill();
        };
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.execute(r);
        } else {
            r.run();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResolver(AddressResolver r) {
        resolver.set(r);
        retryWaiting(RESOLVER);
    }

    void unbindResolver(AddressResolver r) {
        resolver.compareAndSet(r, null);
    }

    /** For tests: a bounce service given directly instead of looked up. */
    void bindBounce(BounceService b) {
        bounce.set(b);
        retryWaiting(DeliveryPass.BOUNCE_SERVICE);
    }

    void unbindBounce(BounceService b) {
        bounce.compareAndSet(b, null);
    }

    /**
     * The bounce service is looked up when a pass needs it, not bound by DS: it submits through
     * cleanup, which needs this queue, so binding it while the queue activates is a cycle SCR
     * refuses — and the queue would then run without bounces. Only the reference is tracked here;
     * the service object is fetched on first use, when everything is active.
     */
    private BounceService currentBounce() {
        BounceService given = bounce.get();
        if (given != null || bounceTracker == null) return given;
        ServiceReference<BounceService> ref = bounceTracker.getServiceReference();
        return ref == null ? null : bounceContext.getService(ref);
    }

    private void trackBounce(BundleContext context) {
        bounceContext = context;
        bounceTracker = new ServiceTracker<>(context, BounceService.class,
                new ServiceTrackerCustomizer<BounceService, ServiceReference<BounceService>>() {
                    @Override
                    public ServiceReference<BounceService> addingService(ServiceReference<BounceService> ref) {
                        retryWaiting(DeliveryPass.BOUNCE_SERVICE);
                        return ref;
                    }

                    @Override
                    public void modifiedService(ServiceReference<BounceService> ref, ServiceReference<BounceService> s) {
                    }

                    @Override
                    public void removedService(ServiceReference<BounceService> ref, ServiceReference<BounceService> s) {
                        context.ungetService(ref);
                    }
                });
        bounceTracker.open();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = DeliveryAgent.class)
    void bindAgent(DeliveryAgent agent, Map<String, Object> props) {
        Object t = props.get(DeliveryAgent.TRANSPORT);
        if (t == null || t.toString().isBlank()) {
            LOG.warn("delivery agent {} has no {} property: ignored", agent, DeliveryAgent.TRANSPORT);
            return;
        }
        Object rank = props.get(Constants.SERVICE_RANKING);
        Object sid = props.get(Constants.SERVICE_ID);
        agents.add(new AgentEntry(agent, t.toString().trim(), rank instanceof Integer i ? i : 0,
                sid instanceof Long l ? l : 0L));
        retryWaiting(t.toString().trim());
    }

    void unbindAgent(DeliveryAgent agent, Map<String, Object> props) {
        agents.removeIf(e -> e.agent() == agent);
    }

    /** The agent for a transport: highest service.ranking, then the oldest service. */
    DeliveryAgent findAgent(String transport) {
        AgentEntry best = null;
        for (AgentEntry e : agents) {
            if (!e.transport().equals(transport)) continue;
            if (best == null || e.ranking() > best.ranking()
                    || (e.ranking() == best.ranking() && e.serviceId() < best.serviceId())) {
                best = e;
            }
        }
        return best == null ? null : best.agent();
    }

    /** For tests: waits until no message is being worked on. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        Scheduler s = scheduler;
        return s == null || s.awaitIdle(timeout);
    }

    int scheduledCount() {
        Scheduler s = scheduler;
        return s == null ? 0 : s.scheduledCount();
    }

    QueueDirectory directory() {
        return dirs;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
