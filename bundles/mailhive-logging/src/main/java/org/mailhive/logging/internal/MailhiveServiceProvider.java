package org.mailhive.logging.internal;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J 2 provider found through ServiceLoader (SPI Fly in OSGi, plain ServiceLoader on a classpath).
 * Mailhive needs two sinks a generic binding lacks: the operator's console and the Postfix-style
 * mail log, written by loggers named {@code mail.*}.
 */
public final class MailhiveServiceProvider implements SLF4JServiceProvider {

    private ILoggerFactory loggerFactory;
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggerFactory = new MailhiveLoggerFactory(LogSettings.fromSystemProperties());
    }
}
