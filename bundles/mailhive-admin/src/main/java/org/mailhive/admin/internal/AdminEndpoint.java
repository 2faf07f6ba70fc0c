package org.mailhive.admin.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.mailhive.api.config.Settings;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the admin socket in the server, so {@code bin/mailhive reload|status} reach the running
 * framework. Without a usable path the component stays up and logs why; nothing else depends on it.
 */
@Component(immediate = true, service = {}, configurationPid = "org.mailhive.admin",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AdminConfig.class)
public final class AdminEndpoint {

    static final String DEFAULT_SOCKET = "run/admin.sock";
    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);

    private final BundleContext context;
    private final ServerActions actions;
    private Path socket;
    private AdminServer server;

    @Activate
    public AdminEndpoint(BundleContext context, @Reference ConfigurationAdmin cm, Map<String, Object> props) {
        this.context = context;
        this.actions = new ServerActions(context, new CmConfigStore(cm));
        configure(props);
    }

    @Modified
    synchronized void configure(Map<String, Object> props) {
        Settings s = new Settings(props);
        String value = s.string("admin_socket", "");
        Path next = null;
        if (value.isEmpty()) {
            String data = context.getProperty("mailhive.data");
            if (data == null || data.isEmpty()) {
                s.problem("admin_socket", "not set and framework property mailhive.data is missing");
            } else {
                next = Path.of(data).resolve(DEFAULT_SOCKET);
            }
        } else if (!Path.of(value).isAbsolute()) {
            s.problem("admin_socket", "must be an absolute path: \"" + value + "\"");
        } else {
            next = Path.of(value);
        }
        if (!s.ok()) {
            s.describeProblems().forEach(LOG::error);
            if (server != null) return;
            if (next == null) return;
        }
        if (server != null && next.equals(socket)) return;
        stop();
        socket = next;
        AdminServer srv = new AdminServer(next, new AdminCommands(actions));
        try {
            srv.start();
            server = srv;
            LOG.info("admin endpoint listening on {}", next);
        } catch (IOException | RuntimeException e) {
            srv.close();
            LOG.error("admin endpoint: cannot listen on {}: {}", next, e.toString());
        }
    }

    @Deactivate
    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
