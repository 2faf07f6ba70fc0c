package org.mailhive.cleanup.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MailQueue;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
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
 * Postfix's cleanup: the one door into the queue. Without a queue this component is not
 * registered, so sources answer 4xx rather than accept mail they cannot keep.
 */
@Component(service = MessageSink.class, configurationPid = "org.mailhive.cleanup")
@Designate(ocd = CleanupConfig.class)
public final class CleanupService implements MessageSink {

    private static final Logger LOG = LoggerFactory.getLogger(CleanupService.class);

    @Reference
    private MailQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerIdentity identity;

    private final Clock clock;
    private volatile CleanupSettings settings = CleanupSettings.DEFAULTS;
    private volatile String systemHost;

    public CleanupService() {
        this.clock = Clock.systemDefaultZone();
    }

    CleanupService(MailQueue queue, ServerIdentity identity, Clock clock, String systemHost) {
        this.queue = queue;
        this.identity = identity;
        this.clock = clock;
        this.systemHost = systemHost;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Settings s = new Settings(properties);
        CleanupSettings next = CleanupSettings.from(s);
        if (!s.ok()) {
            s.describeProblems().forEach(p -> LOG.error("{} (keeping the previous configuration)", p));
            return;
        }
        settings = next;
    }

    @Override
    public MessageDraft open(Envelope envelope) throws MailException {
        MessageDraft draft = queue.create(envelope);
        try {
            return new CleanupDraft(draft, envelope, settings, hostname(), ZonedDateTime.now(clock));
        } catch (RuntimeException e) {
            draft.abort();
            throw MailException.temporary("cleanup failed to start: " + e, e);
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
