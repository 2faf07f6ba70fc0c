package org.mailhive.api.rewrite;

/** Postfix's address classes (ADDRESS_CLASS_README). */
public enum AddressClass {
    /** Domain in mydestination: delivered by the local transport. */
    LOCAL,
    /** Domain in virtual_mailbox_domains. */
    VIRTUAL,
    /** Domain in relay_domains: accepted from anyone, delivered elsewhere. */
    RELAY,
    /** Any other domain: only permitted clients may send there. */
    REMOTE
}
