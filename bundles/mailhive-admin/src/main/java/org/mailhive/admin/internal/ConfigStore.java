package org.mailhive.admin.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The part of ConfigurationAdmin that reload and config need, so tests run without OSGi.
 * The server's implementation is {@link CmConfigStore}.
 */
public interface ConfigStore {

    /** One configuration ConfigurationAdmin holds. */
    interface Stored {
        String pid();

        /** The factory PID, or null for a plain configuration. */
        String factoryPid();

        /** All properties, including {@code service.pid} and FileInstall's {@code felix.fileinstall.filename}. */
        Map<String, Object> properties();

        /**
         * Replaces the properties unless they are equal to the current ones
         * ({@code Configuration.updateIfDifferent}); true when they changed.
         */
        boolean updateIfDifferent(Map<String, Object> properties) throws IOException;
    }

    List<Stored> list() throws IOException;
}
