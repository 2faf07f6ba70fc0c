package org.mailhive.delivery.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;

/** Messages and requests shared by the delivery tests. */
final class Fixtures {

    static final String SENDER = "bob@example.net";

    private Fixtures() {
    }

    /**
     * A message as the queue hands it over (CRLF, not dot-stuffed), with the lines mbox has to
     * quote and a non-ASCII header, so that a store that mangles anything shows it.
     */
    static byte[] message(String subject) {
        return ("From: Bob <bob@example.net>\r\nTo: alice@example.org\r\nSubject: " + subject + " \u00e9t\u00e9\r\n"
                + "Message-ID: <" + subject + "@example.net>\r\n\r\nHello " + subject + "\r\n"
                + "From the start of a line\r\n>From already quoted\r\n.\r\n\r\nlast line\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** What a mailbox holds for that message: the delivery headers local(8) adds, then the message. */
    static byte[] delivered(String rcpt, String subject) {
        byte[] head = ("Return-Path: <" + SENDER + ">\r\nDelivered-To: " + rcpt + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = message(subject);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static MessageContent content(byte[] b) {
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(b);
            }

            @Override
            public long size() {
                return b.length;
            }
        };
    }

    static DeliveryRequest request(String rcpt, byte[] message) {
        return request(Recipient.of(MailAddress.parse(rcpt)), message);
    }

    static DeliveryRequest request(Recipient rcpt, byte[] message) {
        List<Resolution> res = new ArrayList<>();
        res.add(new Resolution(rcpt.address(), AddressClass.LOCAL, "local", ""));
        return new DeliveryRequest(new QueueId("4B1C2D3E5F"),
                new Envelope(MailAddress.parse(SENDER), List.of(rcpt), Map.of()), res, content(message));
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
