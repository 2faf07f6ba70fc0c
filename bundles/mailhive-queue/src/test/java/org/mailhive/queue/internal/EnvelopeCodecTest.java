package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

class EnvelopeCodecTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void plainEnvelopeRoundTrips() {
        QueueFile f = QueueFile.fresh(new Envelope(MailAddress.parse("bob@example.org"),
                List.of(Recipient.of(MailAddress.parse("alice@localhost"))),
                Map.of(Envelope.HELO, "client.example", Envelope.PROTOCOL, "ESMTP")), T);
        String text = EnvelopeCodec.encode(f);
        assertTrue(text.startsWith("version=1\n"), text);
        assertTrue(text.contains("\nrcpt=alice@localhost pending   \n"), text);
        assertEquals(f, EnvelopeCodec.decode(text));
    }

    @Test
    void hostileValuesRoundTripAndStayOnTheirLine() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("helo", "evil\r\nrcpt=root@localhost pending   ");
        attrs.put("key with = and space", "a=b, c=d %41 end");
        attrs.put("utf8", "Jörg 日本語 \uD83D\uDCE7");
        attrs.put("empty", "");
        Recipient r1 = new Recipient(new MailAddress("we ird@\"x\r\n", "example.org"),
                Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;x=y\nend"));
        Recipient r2 = Recipient.of(new MailAddress("jörg", "bücher.example"));
        QueueFile f = new QueueFile(MailAddress.NULL_SENDER, T, attrs,
                List.of(new QueuedRecipient(r1, RecipientStatus.DEFERRED, "4.3.0", "line1\r\nline2 = x%"),
                        new QueuedRecipient(r2, RecipientStatus.SENT, "2.0.0", "delivered to maildir")),
                3, T.plusSeconds(600), "reason\nwith newline");
        String text = EnvelopeCodec.encode(f);
        assertFalse(text.contains("\r"), text);
        assertEquals(6 + attrs.size() + 2 + 1, text.split("\n").length, text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertTrue(c == '\n' || (c >= 0x20 && c < 0x7f), "non-ASCII or control in " + text);
        }
        QueueFile back = EnvelopeCodec.decode(text);
        assertEquals(f, back);
        assertTrue(back.sender().isNullSender());
        assertEquals("we ird@\"x\r\n", back.recipients().get(0).recipient().address().localPart());
    }

    @Test
    void truncatedFileIsRejected() {
        QueueFile f = QueueFile.fresh(new Envelope(MailAddress.parse("a@b.c"),
                List.of(Recipient.of(MailAddress.parse("x@y.z")), Recipient.of(MailAddress.parse("u@v.w"))),
                Map.of()), T);
        String text = EnvelopeCodec.encode(f);
        String cut = text.substring(0, text.indexOf("end\n"));
        assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode(cut));
    }

    @Test
    void unknownVersionIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode(
                "version=9\nsender=a@b\narrival=0\nattempts=0\nnext_try=0\nreason=\nend\n"));
    }

    @Test
    void escapeCoversSeparators() {
        assertEquals("a%20b%3Dc%2Cd%40e%25f%0D%0A", EnvelopeCodec.escape("a b=c,d@e%f\r\n"));
        assertEquals("a b=c,d@e%f\r\n", EnvelopeCodec.unescape("a%20b%3Dc%2Cd%40e%25f%0D%0A"));
        assertEquals("%C3%A9", EnvelopeCodec.escape("é"));
    }

    @Test
    void relayBouncingAndWarnedRoundTripAndOldLinesStillRead() {
        Recipient r = new Recipient(MailAddress.parse("bob@remote.test"), Map.of("NOTIFY", "FAILURE"));
        QueueFile f = new QueueFile(MailAddress.parse("a@b.c"), T, Map.of(),
                List.of(new QueuedRecipient(r, RecipientStatus.BOUNCING, "5.1.1", "550 no such user",
                        "mx.remote.test[127.0.0.9]:25"),
                        new QueuedRecipient(Recipient.of(MailAddress.parse("x@y.z")), RecipientStatus.DEFERRED,
                                "4.3.0", "later", "")),
                2, T, "later", true);
        String text = EnvelopeCodec.encode(f);
        assertTrue(text.contains("\nwarned=1\n"), text);
        assertTrue(text.contains("\nrcpt=bob@remote.test bouncing 5.1.1 550%20no%20such%20user NOTIFY=FAILURE "
                + "mx.remote.test[127.0.0.9]:25\n"), text);
        assertEquals(f, EnvelopeCodec.decode(text));

        QueueFile old = EnvelopeCodec.decode("version=1\nsender=a@b.c\narrival=0\nattempts=1\nnext_try=0\n"
                + "reason=\nrcpt=x@y.z deferred 4.3.0 later \nend\n");
        assertFalse(old.warned());
        assertEquals("", old.recipients().get(0).relay());
        assertTrue(old.unfinished());
    }
}
