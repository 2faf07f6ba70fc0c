package org.mailhive.delivery.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mailhive.api.aliases.AliasExpander;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.config.Settings;
import org.mailhive.api.delivery.DeliveryAgent;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxLocator;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import java.util.OptionalLong;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's local(8): finds the user, then either pipes the message into mailbox_command or
 * expands its mail location, checks the quota and appends the message to INBOX through the store
 * of that format. A recipient that the {@link AliasExpander} expands (aliases, .forward) goes to
 * its targets instead ({@link AliasDelivery}); without an expander every recipient is a user. Also
 * the {@link MailboxLocator} the mail readers use, so that they read where delivery writes. The
 * location is expanded per message from the configuration in force: nothing is cached per user,
 * so a changed mail_location applies to the next delivery.
 */
@Component(service = {DeliveryAgent.class, MailboxLocator.class, Check.class}, configurationPid = "org.mailhive.delivery",
        property = {DeliveryAgent.TRANSPORT + "=local", Check.NAME + "=" + LocalDelivery.QUOTA_CHECK})
@Designate(ocd = DeliveryConfig.class)
public final class LocalDelivery implements DeliveryAgent, MailboxLocator, Check {

    /** The RCPT restriction that answers 452 4.2.2 for a full mailbox before the message is queued. */
    static final String QUOTA_CHECK = "reject_over_quota";

    private static final Logger LOG = LoggerFactory.getLogger("mail.local");
    static final String DATA_DIR_PROPERTY = "mailhive.data";
    static final String RELAY = "local";
    static final String DEFAULT_LOCATION = "maildir:${" + DATA_DIR_PROPERTY + "}/mail/%d/%n/Maildir";

    private static final EnhancedStatus UNKNOWN_USER = EnhancedStatus.of(5, 1, 1);
    private static final String ROOT = "root";
    private static final EnhancedStatus BAD_ADDRESS = EnhancedStatus.of(5, 1, 3);
    private static final EnhancedStatus SYSTEM_ERROR = EnhancedStatus.of(4, 3, 0);
    private static final EnhancedStatus QUOTA_TEMP = EnhancedStatus.of(4, 2, 2);
    private static final EnhancedStatus QUOTA_PERM = EnhancedStatus.of(5, 2, 2);
    private static final EnhancedStatus HOME_MISSING = EnhancedStatus.of(4, 2, 0);
    static final Duration DEFAULT_COMMAND_TIME_LIMIT = Duration.ofSeconds(1000);
    /** How long a file destination may stay locked by someone else (Postfix: 20 attempts, 1s apart). */
    static final Duration FILE_LOCK_WAIT = Duration.ofSeconds(20);
    /** A sample user to check at configuration time that a template expands to a valid location. */
    private static final MailUser PROBE = new MailUser("probe@example.org", "/home/probe", Map.of());

    /** One bound store; the highest service.ranking (then the oldest service) wins within a format. */
    private record Bound(MailboxStore store, int ranking, long serviceId) {
    }

    private static final Comparator<Bound> PREFERENCE = Comparator.comparingInt(Bound::ranking).reversed()
            .thenComparingLong(Bound::serviceId);

    /*
     * Users and aliases are required: without them a recipient cannot be told from an unknown one
     * (postmaster would bounce as "unknown user" while the aliases bundle starts). Until both are
     * there the local transport is not offered, and the queue keeps its mail waiting for it.
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile UserDirectory users;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AliasExpander aliases;

    /** Where forwarded copies are resubmitted; absent, a forward defers and the message stays queued. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MessageSink sink;

    /** The configuration in force, replaced as a whole so that one delivery sees one version of it. */
    record Options(String template, String command, Duration commandTimeLimit, String defaultPrivs,
            QuotaRule quota, boolean quotaTempfail, String recipientDelimiter) {
    }

    private final Map<String, List<Bound>> stores = new ConcurrentHashMap<>();
    private final QuotaCheck quotaCheck = new QuotaCheck(this::locate, this::store, this::defaultQuota);
    private volatile Options options;
    private volatile CommandPrivileges privileges = CommandPrivileges.system();
    private final AliasDelivery aliasDelivery = new AliasDelivery(new UserPath(), new Forwarder(RELAY),
            new FileAppender(FILE_LOCK_WAIT, ZoneId.systemDefault()), RELAY);

    public LocalDelivery() {
    }

    /** For tests: who the mailbox_command would run as, without being root. */
    void setPrivileges(CommandPrivileges privileges) {
        this.privileges = privileges;
    }

    /**
     * As an smtpd restriction ({@code reject_over_quota}): a local user whose mailbox is known to
     * be full gets 452 4.2.2 at RCPT, by the rule delivery applies. Anything else is not decided here.
     */
    @Override
    public Verdict onRecipient(SmtpContext session, Recipient recipient) {
        UserDirectory directory = users;
        Options o = options;
        if (directory == null || o == null) return Verdict.DUNNO;
        Optional<MailUser> user = lookupWithDelimiter(directory, recipient.address(), o);
        if (user.isEmpty() || !o.command().isEmpty()) return Verdict.DUNNO;
        OptionalLong left = quotaCheck.remainingQuota(user.get());
        if (left.isPresent() && left.getAsLong() == 0) {
            return Verdict.reject(SmtpReply.of(452, QUOTA_TEMP, "<" + recipient.address() + ">: Mailbox full"));
        }
        return Verdict.DUNNO;
    }

    /** The quota rule delivery applies, for a recipient check made before the message is queued. */
    public QuotaCheck quotaCheck() {
        return quotaCheck;
    }

    private QuotaRule defaultQuota() {
        Options o = options;
        return o == null ? QuotaRule.UNLIMITED : o.quota();
    }

    /** For tests, which construct the agent without DS. */
    void setUsers(UserDirectory users) {
        this.users = users;
    }

    void setAliases(AliasExpander aliases) {
        this.aliases = aliases;
    }

    void setSink(MessageSink sink) {
        this.sink = sink;
    }

    @Activate
    @Modified
    void configure(BundleContext context, Map<String, Object> props) {
        apply(context.getProperty(DATA_DIR_PROPERTY), props);
    }

    void apply(String dataDir, Map<String, Object> props) {
        Settings s = new Settings(props);
        String template = chooseTemplate(s);
        if (template.contains("${" + DATA_DIR_PROPERTY + "}")) {
            if (dataDir == null || dataDir.isEmpty()) {
                s.problem("mail_location", "uses ${" + DATA_DIR_PROPERTY + "} but the framework property is not set");
            } else {
                template = template.replace("${" + DATA_DIR_PROPERTY + "}", dataDir);
            }
        }
        if (s.ok()) {
            try {
                MailLocationTemplate.expand(template, PROBE);
            } catch (MailLocationTemplate.LocationException e) {
                s.problem("mail_location", e.getMessage());
            }
        }
        String command = s.string("mailbox_command", "");
        Duration limit = s.duration("command_time_limit", DEFAULT_COMMAND_TIME_LIMIT);
        if (limit.isZero()) s.problem("command_time_limit", "must be more than 0s");
        String privs = s.string("default_privs", "nobody");
        if (privs.equals("root") || privs.equals("0") || privs.contains(":")) {
            s.problem("default_privs", "must be an unprivileged user name, got \"" + privs + "\"");
        }
        QuotaRule quota = QuotaRule.UNLIMITED;
        try {
            quota = QuotaRule.parse(s.string("quota_rule", "*:storage=0"));
        } catch (IllegalArgumentException e) {
            s.problem("quota_rule", e.getMessage());
        }
        boolean tempfail = s.bool("quota_full_tempfail", true);
        String delimiter = s.string("recipient_delimiter", "+");
        if (delimiter.contains("@") || delimiter.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            s.problem("recipient_delimiter", "must not contain '@', white space or control characters");
        }
        if (!s.ok()) {
            Logger log = LoggerFactory.getLogger(LocalDelivery.class);
            s.describeProblems().forEach(p -> log.error("{} (keeping the previous configuration)", p));
            return;
        }
        options = new Options(template, command, limit, privs, quota, tempfail, delimiter);
    }

    /**
     * The location template in force: mail_location when set, else Postfix's home_mailbox, else
     * mail_spool_directory, else the default under the data directory (precedence documented in
     * {@link DeliveryConfig}). The Postfix keys are checked even when mail_location wins, so a
     * typo is reported at once rather than when someone empties mail_location.
     */
    static String chooseTemplate(Settings s) {
        String explicit = s.string("mail_location", "");
        String homeMailbox = s.string("home_mailbox", "");
        String spool = s.string("mail_spool_directory", "");
        if (!homeMailbox.isEmpty() && (homeMailbox.startsWith("/") || homeMailbox.startsWith("~")
                || homeMailbox.contains("..") || homeMailbox.contains(":") || homeMailbox.contains("%"))) {
            s.problem("home_mailbox", "must be a path relative to the home directory, got \"" + homeMailbox + "\"");
        }
        if (!spool.isEmpty() && (!spool.startsWith("/") || spool.contains(":") || spool.contains("%"))) {
            s.problem("mail_spool_directory", "must be an absolute directory, got \"" + spool + "\"");
        }
        if (!explicit.isEmpty()) return explicit;
        if (!homeMailbox.isEmpty()) {
            if (homeMailbox.endsWith("/")) {
                return "maildir:~/" + stripSlashes(homeMailbox);
            }
            return "mbox:~/mail:INBOX=~/" + homeMailbox;
        }
        if (!spool.isEmpty()) {
            return "mbox:${" + DATA_DIR_PROPERTY + "}/mail/%d/%n:INBOX=" + stripSlashes(spool) + "/%n";
        }
        return DEFAULT_LOCATION;
    }

    private static String stripSlashes(String s) {
        String t = s;
        while (t.length() > 1 && t.endsWith("/")) t = t.substring(0, t.length() - 1);
        return t;
    }

    /** Where this user's mail is, as delivery would store it now; POP3 and IMAP ask the same. */
    @Override
    public Optional<MailboxLocation> locate(MailUser user) {
        Options o = options;
        if (o == null) return Optional.empty();
        String template = o.template();
        if (badAddress(user.localPart(), user.domain()) != null) return Optional.empty();
        try {
            return Optional.of(owned(MailLocationTemplate.expand(user.field("mail", template), user), user));
        } catch (MailLocationTemplate.LocationException e) {
            LoggerFactory.getLogger(LocalDelivery.class).warn("mail location of {}: {}", user.name(), e.getMessage());
            return Optional.empty();
        }
    }

    @Reference(name = "stores", service = MailboxStore.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindStore", updated = "updatedStore")
    void bindStore(MailboxStore store, Map<String, Object> props) {
        Object format = props.get(MailboxStore.FORMAT);
        if (format == null) {
            LoggerFactory.getLogger(LocalDelivery.class).warn("mailbox store {} has no format property; ignored", store);
            return;
        }
        Bound b = new Bound(store, intProperty(props.get(Constants.SERVICE_RANKING)),
                longProperty(props.get(Constants.SERVICE_ID)));
        stores.compute(format.toString().toLowerCase(java.util.Locale.ROOT), (k, old) -> {
            List<Bound> list = old == null ? new ArrayList<>() : new ArrayList<>(old);
            list.add(b);
            list.sort(PREFERENCE);
            return List.copyOf(list);
        });
    }

    void unbindStore(MailboxStore store, Map<String, Object> props) {
        // searched in every format: the properties may have changed since bind
        for (String format : List.copyOf(stores.keySet())) {
            stores.computeIfPresent(format, (k, old) -> {
                List<Bound> list = new ArrayList<>(old);
                list.removeIf(b -> b.store() == store);
                return list.isEmpty() ? null : List.copyOf(list);
            });
        }
    }

    void updatedStore(MailboxStore store, Map<String, Object> props) {
        unbindStore(store, props);
        bindStore(store, props);
    }

    private static int intProperty(Object o) {
        return o instanceof Integer i ? i : 0;
    }

    private static long longProperty(Object o) {
        return o instanceof Long l ? l : 0L;
    }

    Optional<MailboxStore> store(String format) {
        List<Bound> list = stores.get(format);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0).store());
    }

    @Override
    public List<RecipientResult> deliver(DeliveryRequest request) {
        // read once: a configuration change or a departing directory affects the next message only
        UserDirectory directory = users;
        AliasExpander expander = aliases;
        Options o = options;
        List<RecipientResult> results = new ArrayList<>(request.recipients().size());
        DeliveredTo seen;
        try {
            seen = DeliveredTo.scan(request.content());
        } catch (IOException e) {
            LOG.warn("{}: cannot read the queued message: {}", request.queueId(), e.toString());
            for (Resolution r : request.recipients()) {
                results.add(RecipientResult.deferred(r.address(), SYSTEM_ERROR, RELAY,
                        "cannot read queued message: " + e.getMessage()));
            }
            return results;
        }
        for (Resolution r : request.recipients()) {
            try {
                results.add(deliverOne(request, r.address(), directory, expander, seen, o));
            } catch (RuntimeException e) {
                LOG.error("{}: to={}, local delivery failed: {}", request.queueId(), r.address().toPath(), e.toString(), e);
                results.add(RecipientResult.deferred(r.address(), SYSTEM_ERROR, RELAY, "internal error: " + e));
            }
        }
        return results;
    }

    private RecipientResult deliverOne(DeliveryRequest request, MailAddress rcpt, UserDirectory directory,
            AliasExpander expander, DeliveredTo seen, Options o) {
        String bad = badAddress(rcpt.localPart(), rcpt.domain());
        if (bad != null) return RecipientResult.bounced(rcpt, BAD_ADDRESS, RELAY, "bad address syntax: " + bad);
        // our own Delivered-To for this recipient: the message went out from here and came back
        if (seen.contains(rcpt)) {
            return RecipientResult.bounced(rcpt, AliasDelivery.LOOP, RELAY, "mail forwarding loop for " + rcpt);
        }
        if (o == null) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, RELAY, "mail_location not configured");
        }
        if (expander != null) {
            Optional<List<AliasTarget>> targets = expander.expand(rcpt);
            if (targets.isPresent()) {
                return aliasDelivery.deliver(request, rcpt, targets.get(), directory, sink, o);
            }
        }
        if (directory == null) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, RELAY, "user directory not available");
        }
        Optional<MailUser> found = findUser(directory, rcpt, o);
        if (found.isEmpty()) {
            return RecipientResult.bounced(rcpt, UNKNOWN_USER, RELAY, "unknown user: \"" + rcpt.localPart() + "\"");
        }
        return deliverToUser(request, rcpt, found.get(), o);
    }

    /** The user, also when the address carries a {@code +detail} (recipient_delimiter) the directory does not know. */
    static Optional<MailUser> findUser(UserDirectory directory, MailAddress rcpt, Options o) {
        Optional<MailUser> found = lookupWithDelimiter(directory, rcpt, o);
        if (found.isPresent() || !rcpt.localPart().equalsIgnoreCase(ROOT)) return found;
        // root always has a mailbox, as the system account has on every Unix: postmaster and
        // MAILER-DAEMON resolve to root by the shipped aliases, and their mail must land somewhere
        // an administrator can read it (config/aliases says how to send it to a person instead)
        return Optional.of(new MailUser(ROOT + "@" + rcpt.domain(), "/" + ROOT, Map.of()));
    }

    private static Optional<MailUser> lookupWithDelimiter(UserDirectory directory, MailAddress rcpt, Options o) {
        Optional<MailUser> found = directory.lookup(rcpt);
        if (found.isPresent() || o.recipientDelimiter().isEmpty()) return found;
        String local = rcpt.localPart();
        for (int i = 0; i < local.length(); i++) {
            if (o.recipientDelimiter().indexOf(local.charAt(i)) >= 0) {
                return i == 0 ? found : directory.lookup(MailAddress.of(local.substring(0, i), rcpt.domain()));
            }
        }
        return found;
    }

    /** The user's mailbox (or its mailbox_command), with Delivered-To naming {@code rcpt}. */
    private RecipientResult deliverToUser(DeliveryRequest request, MailAddress rcpt, MailUser user, Options o) {
        String bad = badAddress(user.localPart(), user.domain());
        if (bad != null) return RecipientResult.bounced(rcpt, BAD_ADDRESS, RELAY, "bad user name: " + bad);
        PrefixedContent content = PrefixedContent.withDeliveryHeaders(request.envelope().sender(), rcpt,
                request.content());
        if (!o.command().isEmpty()) return deliverToCommand(request, rcpt, user, o.command(), o.defaultPrivs(), o, content);

        MailboxLocation location;
        try {
            location = MailLocationTemplate.expand(user.field("mail", o.template()), user);
        } catch (MailLocationTemplate.LocationException e) {
            LOG.error("{}: to={}, mail location of {}: {}", request.queueId(), rcpt.toPath(), user.name(),
                    e.getMessage());
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, RELAY, "bad mail location: " + e.getMessage());
        }
        location = owned(location, user);
        String homeless = missingHome(user, location);
        if (homeless != null) {
            LOG.warn("{}: to={}, {}", request.queueId(), rcpt.toPath(), homeless);
            return RecipientResult.deferred(rcpt, HOME_MISSING, RELAY, homeless);
        }
        // held for this one append: a store leaving meanwhile finishes this delivery first
        Optional<MailboxStore> store = store(location.format());
        if (store.isEmpty()) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, RELAY,
                    "mailbox format " + location.format() + " not available");
        }
        try {
            RecipientResult full = overQuota(rcpt, user, o, store.get(), location, content.size());
            if (full != null) return full;
            // no internal date: the time of storing is the date, and the store need not set it
            store.get().append(location, MailboxStore.INBOX, content, Set.of(), null);
            return RecipientResult.sent(rcpt, RELAY, "delivered to " + location.format());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("{}: to={}, cannot store in {}: {}", request.queueId(), rcpt.toPath(), location, e.toString());
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, RELAY,
                    "cannot store in " + location.format() + " mailbox: " + e.getMessage());
        }
    }

    /** With the user's uid:gid as owner when this process may give files away (system users). */
    private MailboxLocation owned(MailboxLocation location, MailUser user) {
        Optional<MailboxLocation.Owner> owner = privileges.ownerOf(user);
        return owner.isEmpty() ? location : location.withOwner(owner.get());
    }

    /**
     * Why an owned mailbox in the user's home cannot be delivered to now: the home does not exist.
     * Like Postfix, the home is not created (its owner, mode and quota are the administrator's
     * business); the message waits in the queue until it is there.
     */
    static String missingHome(MailUser user, MailboxLocation location) {
        String home = user.home();
        if (location.owner().isEmpty() || home == null || home.isEmpty()) return null;
        Path h = Path.of(home);
        if (!Path.of(location.root()).startsWith(h) || Files.isDirectory(h)) return null;
        return "home directory missing: " + home + " of " + user.name();
    }

    /** The bounce or deferral for a message that does not fit the user's quota, or null when it fits. */
    private static RecipientResult overQuota(MailAddress rcpt, MailUser user, Options o, MailboxStore store,
            MailboxLocation location, long size) throws IOException {
        QuotaRule rule = QuotaCheck.ruleFor(user, o.quota());
        if (rule.unlimited()) return null;
        long usage = QuotaCheck.usage(store, location);
        if (usage + size <= rule.storageBytes()) return null;
        String why = "mailbox full: quota exceeded (" + usage + " + " + size + " > " + rule.storageBytes() + " bytes)";
        return o.quotaTempfail() ? RecipientResult.deferred(rcpt, QUOTA_TEMP, RELAY, why)
                : RecipientResult.bounced(rcpt, QUOTA_PERM, RELAY, why);
    }

    private RecipientResult deliverToCommand(DeliveryRequest request, MailAddress rcpt, MailUser user,
            String command, String runAs, Options o, PrefixedContent content) {
        // runAs "" is an administrator's alias: the server's own privileges, whoever the user is
        CommandPrivileges.Decision who = runAs.isEmpty() ? privileges.decide(runAs) : privileges.decideFor(user, runAs);
        if (who.refused()) {
            LOG.warn("{}: to={}, command refused: {}", request.queueId(), rcpt.toPath(), who.refusal());
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, RELAY, who.refusal());
        }
        Map<String, String> env = MailboxCommand.environment(user, request.envelope().sender(), rcpt,
                OriginalRecipient.of(request, rcpt));
        return new MailboxCommand(command, o.commandTimeLimit(), RELAY)
                .deliver(request.queueId().value(), rcpt, env, who.prefix(), content);
    }

    /** Aliases reach users and commands exactly the way a plain recipient does. */
    private final class UserPath implements AliasDelivery.Local {
        @Override
        public Optional<MailUser> findUser(UserDirectory directory, MailAddress address, Options o) {
            return LocalDelivery.findUser(directory, address, o);
        }

        @Override
        public RecipientResult deliverToUser(DeliveryRequest request, MailAddress rcpt, MailUser user, Options o) {
            return LocalDelivery.this.deliverToUser(request, rcpt, user, o);
        }

        @Override
        public RecipientResult runCommand(DeliveryRequest request, MailAddress rcpt, MailUser user, String command,
                boolean administrators, Options o) {
            PrefixedContent content = PrefixedContent.withDeliveryHeaders(request.envelope().sender(), rcpt,
                    request.content());
            return deliverToCommand(request, rcpt, user, command, administrators ? "" : o.defaultPrivs(), o,
                    content);
        }

        @Override
        public boolean writesAsRoot() {
            return privileges.root();
        }

        @Override
        public Optional<CommandPrivileges.Decision> switchTo(MailUser user) {
            return privileges.ownerOf(user).isEmpty() ? Optional.empty() : Optional.of(privileges.decideFor(user, ""));
        }
    }

    private static String badAddress(String localPart, String domain) {
        String why = MailLocationTemplate.unsafeName(localPart);
        if (why != null) return "local part " + why;
        why = MailLocationTemplate.unsafeName(domain);
        return why == null ? null : "domain " + why;
    }
}
