package org.mailhive.aliases.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.mailhive.api.aliases.AliasExpander;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.config.Settings;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AliasExpander}: aliases(5) files, virtual alias maps and ~/.forward. Files are
 * stat-ed at most every 500 ms on lookup and reloaded when changed, so newaliases only has to
 * check syntax. Without a ServerIdentity only {@code localhost} counts as a local domain; without
 * a UserDirectory no .forward is read and local names are delivered as {@code name@domain}.
 */
@Component(service = AliasExpander.class, configurationPid = "org.mailhive.aliases")
@Designate(ocd = AliasesConfig.class)
public final class AliasService implements AliasExpander {

    private static final Logger LOG = LoggerFactory.getLogger(AliasService.class);
    static final String CONFIG_DIR_PROPERTY = "mailhive.config";
    static final String DATA_DIR_PROPERTY = "mailhive.data";
    static final Set<String> SOURCES = Set.of(AliasTarget.ALIAS, AliasTarget.FORWARD, AliasTarget.INCLUDE);

    /** One configuration in force: replaced as a whole so a lookup never sees half of a change. */
    private record State(AliasMaps maps, ExpansionOptions options) {
    }

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile UserDirectory users;

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    private volatile ServerIdentity identity;

    private final ForwardFiles forwards = new ForwardFiles();
    private final LongSupplier clock;
    private final long interval;
    private volatile State state;

    public AliasService() {
        this(System::nanoTime, AliasMaps.DEFAULT_INTERVAL_NANOS);
    }

    AliasService(LongSupplier clock, long intervalNanos) {
        this.clock = clock;
        this.interval = intervalNanos;
    }

    void setUsers(UserDirectory users) {
        this.users = users;
    }

    void setIdentity(ServerIdentity identity) {
        this.identity = identity;
    }

    @Activate
    @Modified
    void configure(BundleContext context, Map<String, Object> props) {
        apply(context.getProperty(CONFIG_DIR_PROPERTY), context.getProperty(DATA_DIR_PROPERTY), props);
    }

    void apply(String configDir, String dataDir, Map<String, Object> props) {
        Settings s = new Settings(props);
        List<Path> aliasFiles = paths(s, "alias_maps", "${mailhive.config}/aliases", configDir, dataDir);
        List<Path> virtualFiles = paths(s, "virtual_alias_maps", "", configDir, dataDir);
        String delimiter = s.string("recipient_delimiter", "+");
        List<String> forwardPath = s.list("forward_path", List.of("~/.forward"));
        Set<String> commands = sources(s, "allow_mail_to_commands");
        Set<String> files = sources(s, "allow_mail_to_files");
        int depth = s.integer("alias_max_depth", 20, 1, 1000);
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::error);
            if (state != null) return;
            // first activation: defaults, so that at least the shipped aliases file works
            aliasFiles = paths(new Settings(Map.of()), "alias_maps", "${mailhive.config}/aliases", configDir, dataDir);
            virtualFiles = List.of();
            ExpansionOptions d = ExpansionOptions.DEFAULTS;
            install(aliasFiles, virtualFiles, d);
            return;
        }
        install(aliasFiles, virtualFiles, new ExpansionOptions(delimiter, forwardPath, commands, files, depth));
    }

    private void install(List<Path> aliasFiles, List<Path> virtualFiles, ExpansionOptions options) {
        AliasMaps maps = new AliasMaps(aliasFiles, virtualFiles, clock, interval);
        maps.loadAll();
        state = new State(maps, options);
        LOG.info("aliases: alias_maps={} virtual_alias_maps={}", aliasFiles, virtualFiles);
    }

    private static List<Path> paths(Settings s, String key, String fallback, String configDir, String dataDir) {
        List<Path> out = new ArrayList<>();
        for (String v : Settings.splitList(s.string(key, fallback))) {
            String e = v;
            if (e.contains("${" + CONFIG_DIR_PROPERTY + "}")) {
                if (configDir == null || configDir.isEmpty()) {
                    s.problem(key, "framework property " + CONFIG_DIR_PROPERTY + " is missing for \"" + v + "\"");
                    continue;
                }
                e = e.replace("${" + CONFIG_DIR_PROPERTY + "}", configDir);
            }
            if (e.contains("${" + DATA_DIR_PROPERTY + "}") && dataDir != null) {
                e = e.replace("${" + DATA_DIR_PROPERTY + "}", dataDir);
            }
            Path p = Path.of(e);
            if (!p.isAbsolute()) {
                s.problem(key, "must be an absolute path: \"" + v + "\"");
                continue;
            }
            out.add(p);
        }
        return out;
    }

    private static Set<String> sources(Settings s, String key) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : s.list(key, List.of(AliasTarget.ALIAS, AliasTarget.FORWARD))) {
            String l = v.toLowerCase(Locale.ROOT);
            if (SOURCES.contains(l)) {
                out.add(l);
            } else {
                s.problem(key, "unknown source \"" + v + "\" (alias, forward, include)");
            }
        }
        return out;
    }

    @Override
    public Optional<List<AliasTarget>> expand(MailAddress recipient) {
        return expandWithNotes(recipient).targets();
    }

    Expander.Result expandWithNotes(MailAddress recipient) {
        State st = state;
        if (st == null) return new Expander.Result(Optional.empty(), List.of());
        return Expander.expand(st.maps(), forwards, st.options(), context(), recipient);
    }

    @Override
    public boolean isAlias(MailAddress recipient) {
        State st = state;
        return st != null && Expander.isAlias(st.maps(), st.options(), context(), recipient);
    }

    /** Binds the optional services once per call, so one expansion sees one provider throughout. */
    private Expander.Context context() {
        ServerIdentity id = identity;
        UserDirectory dir = users;
        return new Expander.Context() {
            @Override
            public boolean isLocalDomain(String domain) {
                return id == null ? "localhost".equals(domain) : id.isMyDestination(domain);
            }

            @Override
            public String myorigin() {
                return id == null ? "localhost" : id.myorigin();
            }

            @Override
            public Optional<MailUser> user(String login) {
                return dir == null ? Optional.empty() : dir.lookup(login);
            }
        };
    }
}
