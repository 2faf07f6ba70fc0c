package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.mailhive.api.config.Settings;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.AppendResult;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mbox mailboxes as mutt, mailutils and Postfix's local(8) keep them: mboxrd From_ lines and
 * {@code >From} quoting, a dotlock plus an fcntl lock around every change, flags in Status and
 * X-Status headers, UIDs in a sidecar index. An append is fsync'd before it returns and a failed
 * one is cut off again, so earlier messages never suffer.
 */
@Component(service = MailboxStore.class, property = MailboxStore.FORMAT + "=mbox",
        configurationPid = "org.mailhive.store.mbox")
@Designate(ocd = MboxConfig.class)
public final class MboxStore implements MailboxStore {

    private static final Logger LOG = LoggerFactory.getLogger(MboxStore.class);

    private final MboxRegistry registry;
    private final ZoneId zone;
    private final Clock clock;
    private volatile MboxEnv env;

    public MboxStore() {
        this(MboxRegistry.SHARED, ZoneId.systemDefault(), Clock.systemUTC());
    }

    MboxStore(MboxRegistry registry, ZoneId zone, Clock clock) {
        this.registry = registry;
        this.zone = zone;
        this.clock = clock;
        this.env = new MboxEnv(MboxEnv.DEFAULT_LOCK_TIMEOUT, MboxEnv.DEFAULT_STALE_AFTER, zone, clock);
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Settings settings = new Settings(properties);
        Duration timeout = settings.duration("mbox_lock_timeout", MboxEnv.DEFAULT_LOCK_TIMEOUT);
        Duration stale = settings.duration("mbox_dotlock_change_timeout", MboxEnv.DEFAULT_STALE_AFTER);
        if (timeout.isZero()) settings.problem("mbox_lock_timeout", "must be more than 0s");
        if (stale.compareTo(Duration.ofSeconds(10)) < 0) {
            settings.problem("mbox_dotlock_change_timeout", "must be at least 10s, or live locks get broken");
        }
        if (!settings.ok()) {
            settings.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            return;
        }
        env = new MboxEnv(timeout, stale, zone, clock);
        LOG.info("mbox store: mbox_lock_timeout={}s, mbox_dotlock_change_timeout={}s", timeout.toSeconds(),
                stale.toSeconds());
    }

    MboxEnv env() {
        return env;
    }

    @Override
    public AppendResult append(MailboxLocation location, String folder, MessageContent content, Set<String> flags,
            Instant internalDate) throws IOException {
        MboxLayout layout = MboxLayout.of(location);
        String name = MboxLayout.canonical(folder);
        Path path = layout.file(name);
        long offset = registry.file(path, layout).append(content, flags, internalDate, env);
        registry.changed(layout.inbox(), name);
        return new AppendResult(name, path.getFileName() + "@" + offset);
    }

    @Override
    public Mailbox open(MailboxLocation location) throws IOException {
        return new MboxMailbox(MboxLayout.of(location), registry, this::env);
    }
}
