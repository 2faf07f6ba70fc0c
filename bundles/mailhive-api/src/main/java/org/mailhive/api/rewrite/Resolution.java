package org.mailhive.api.rewrite;

import org.mailhive.api.mail.MailAddress;

/**
 * Where an address goes: its canonical form, class, the transport that delivers it (the
 * {@code mail.transport} property of a DeliveryAgent) and the next hop for that transport
 * (a domain, {@code [host]:port}, or empty for local).
 */
public record Resolution(MailAddress address, AddressClass addressClass, String transport, String nexthop) {
}
