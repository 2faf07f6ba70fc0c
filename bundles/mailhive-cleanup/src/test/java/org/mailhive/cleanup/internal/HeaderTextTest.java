package org.mailhive.cleanup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

class HeaderTextTest {

    static final ZonedDateTime T = ZonedDateTime.of(2026, 11, 4, 5, 2, 3, 0, ZoneOffset.ofHours(1));

    @Test
    void dateIsRfc5322() {
        assertEquals("Wed, 4 Nov 2026 05:02:03 +0100", HeaderText.date(T));
    }

    @Test
    void receivedForSeveralRecipientsHasNoForClause() {
        Envelope env = new Envelope(MailAddress.parse("a@b.example"),
                List.of(Recipient.of(MailAddress.parse("x@y.example")), Recipient.of(MailAddress.parse("z@y.example"))),
                Map.of(Envelope.CLIENT_ADDRESS, "2001:db8::1", Envelope.HELO, "h", Envelope.PROTOCOL, "ESMTPSA"));
        assertEquals("Received: from h (unknown [2001:db8::1])\r\n"
                + "\tby mx (Mailhive) with ESMTPSA id ABC; Wed, 4 Nov 2026 05:02:03 +0100\r\n",
                HeaderText.received(env, "mx", "ABC", T));
    }

    @Test
    void longValuesAreFoldedAndControlsNeutralised() {
        Envelope env = new Envelope(MailAddress.parse("a@b.example"),
                List.of(Recipient.of(MailAddress.parse("someone.with.a.long.name@a-rather-long-domain-name.example"))),
                Map.of(Envelope.CLIENT_ADDRESS, "192.0.2.1", Envelope.HELO, "evil\r\nX-Injected: yes",
                        Envelope.CLIENT_NAME, "a-very-long-reverse-dns-name-of-the-client.dynamic.isp.example"));
        String r = HeaderText.received(env, "mx.example.org", "3F2A9C1B07", T);
        assertFalse(r.contains("\r\nX-Injected"), r);
        String[] lines = r.split("\r\n");
        for (String l : lines) assertTrue(l.length() <= 78, "too long: " + l);
        assertTrue(lines.length >= 4, r);
        for (int i = 1; i < lines.length; i++) assertTrue(lines[i].startsWith("\t"), lines[i]);
        assertTrue(r.endsWith("05:02:03 +0100\r\n"), r);
    }

    @Test
    void tlsAndAuthenticatedSubmissionAreRecorded() {
        Envelope env = new Envelope(MailAddress.parse("alice@example.org"),
                List.of(Recipient.of(MailAddress.parse("bob@remote.test"))),
                Map.of(Envelope.CLIENT_ADDRESS, "192.0.2.1", Envelope.HELO, "laptop", Envelope.PROTOCOL, "ESMTPSA",
                        Envelope.TLS, "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", Envelope.AUTH_USER, "alice@example.org"));
        String r = HeaderText.received(env, "mx.example.org", "3F2A9C1B07", T);
        assertTrue(r.startsWith("Received: from laptop (unknown [192.0.2.1])\r\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tby mx.example.org (Mailhive) with ESMTPSA id 3F2A9C1B07\r\n\tfor <bob@remote.test>; "), r);
        assertFalse(r.contains("alice"), "the authenticated user stays in the envelope, not in the header: " + r);
    }
}
