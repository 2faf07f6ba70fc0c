/**
 * Listener plumbing shared by the protocol bundles: a MINA endpoint with its own I/O thread, the
 * inbound filter (TLS marking, input backlog, session events in order with the input), the
 * listener's threads, TLS filter set-up and SASL PLAIN/LOGIN decoding. Nothing here knows a
 * protocol's replies; each protocol bundle keeps its own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.mailhive.net;
