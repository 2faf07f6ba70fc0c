package org.mailhive.logging.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

final class MailhiveLoggerFactory implements ILoggerFactory {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final LogSettings settings;
    private final LogWriter writer;

    MailhiveLoggerFactory(LogSettings settings) {
        this.settings = settings;
        this.writer = new LogWriter(settings);
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new MailhiveLogger(n, settings.thresholdFor(n), writer));
    }
}
