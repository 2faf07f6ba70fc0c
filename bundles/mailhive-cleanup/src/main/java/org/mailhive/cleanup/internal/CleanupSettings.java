package org.mailhive.cleanup.internal;

import org.mailhive.api.config.Settings;

/** Validated cleanup configuration. */
record CleanupSettings(long headerSizeLimit, long messageSizeLimit, boolean alwaysAddMissingHeaders) {

    static final CleanupSettings DEFAULTS = new CleanupSettings(102_400, 52_428_800, false);

    static CleanupSettings from(Settings s) {
        long header = s.size("header_size_limit", DEFAULTS.headerSizeLimit);
        if (header < 1024) s.problem("header_size_limit", "must be at least 1024, got " + header);
        long message = s.size("message_size_limit", DEFAULTS.messageSizeLimit);
        boolean add = s.bool("always_add_missing_headers", DEFAULTS.alwaysAddMissingHeaders);
        return new CleanupSettings(header, message, add);
    }
}
