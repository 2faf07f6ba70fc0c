package org.mailhive.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator actions inside the framework: metatype of the installed bundles, ConfigurationAdmin's values. */
final class ServerActions implements AdminCommands.Actions {

    private static final Logger LOG = LoggerFactory.getLogger(ServerActions.class);

    private final BundleContext context;
    private final ConfigStore store;
    private final Substitution subst;
    private final Path configDir;
    private final Path dataDir;
    private final Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());

    ServerActions(BundleContext context, ConfigStore store) {
        this.context = context;
        this.store = store;
        this.subst = new Substitution(context::getProperty);
        String c = context.getProperty("mailhive.config");
        String d = context.getProperty("mailhive.data");
        this.configDir = c == null ? null : Path.of(c);
        this.dataDir = d == null ? null : Path.of(d);
    }

    String version() {
        return context.getBundle().getVersion().toString();
    }

    @Override
    public Answer reload() {
        if (configDir == null) return new Answer(List.of(), List.of("mailhive reload: framework property mailhive.config is not set"), 1);
        return new Reloader(store, subst, configDir, version()).reload();
    }

    @Override
    public List<String> status() {
        Bundle[] bundles = context.getBundles();
        int active = 0;
        for (Bundle b : bundles) {
            if (b.getState() == Bundle.ACTIVE) active++;
        }
        long up = Duration.between(started, Instant.now()).toSeconds();
        List<String> out = new ArrayList<>();
        out.add("version: " + version());
        out.add("pid: " + ProcessHandle.current().pid());
        out.add("uptime: " + up + "s");
        out.add("bundles: " + active + " active of " + bundles.length);
        out.add("configuration: " + configDir);
        out.add("data: " + dataDir);
        return out;
    }

    @Override
    public Answer config(List<String> args) {
        ConfigReport.Options o = ConfigReport.parse(args);
        if (o == null) return Answer.usage("mailhive config: unknown option", ConfigReport.USAGE);
        try {
            return new ConfigReport(catalogue(), subst).run(CmConfigStore.entries(store.list()), o);
        } catch (IOException e) {
            return new Answer(List.of(), List.of("mailhive config: " + e.getMessage()), 1);
        }
    }

    @Override
    public Answer check() {
        if (configDir == null) return new Answer(List.of(), List.of("mailhive check: framework property mailhive.config is not set"), 1);
        return new ConfigChecker(catalogue(), subst, configDir, dataDir).check().answer();
    }

    /** Read at each request: bundles come and go, and an operator asks rarely. */
    MetatypeCatalogue catalogue() {
        MetatypeCatalogue c = new MetatypeCatalogue();
        for (Bundle b : context.getBundles()) {
            Enumeration<URL> e = b.findEntries("OSGI-INF/metatype", "*.xml", false);
            while (e != null && e.hasMoreElements()) {
                URL u = e.nextElement();
                try (InputStream in = u.openStream()) {
                    c.add(in, b.getSymbolicName() + "!" + u.getPath());
                } catch (IOException ex) {
                    LOG.warn("metatype of {} skipped: {}", b.getSymbolicName(), ex.getMessage());
                }
            }
        }
        return c;
    }
}
