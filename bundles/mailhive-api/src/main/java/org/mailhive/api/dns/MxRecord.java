package org.mailhive.api.dns;

/**
 * One MX record. A host of "" is the null MX of RFC 7505 ({@code MX 0 .}): the domain accepts
 * no mail.
 */
public record MxRecord(int preference, String host) {

    public boolean isNullMx() {
        return host.isEmpty();
    }
}
