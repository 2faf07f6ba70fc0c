package org.mailhive.delivery.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;

/** The queued message with the delivery headers in front, streamed from the queue file. */
final class PrefixedContent implements MessageContent {

    private final byte[] prefix;
    private final MessageContent message;

    PrefixedContent(byte[] prefix, MessageContent message) {
        this.prefix = prefix;
        this.message = message;
    }

    /** {@code Return-Path: <sender>} and {@code Delivered-To: recipient}, as local(8) writes them. */
    static PrefixedContent withDeliveryHeaders(MailAddress sender, MailAddress recipient, MessageContent message) {
        String headers = "Return-Path: " + headerSafe(sender.toPath()) + "\r\n"
                + "Delivered-To: " + headerSafe(recipient.toString()) + "\r\n";
        return new PrefixedContent(headers.getBytes(StandardCharsets.UTF_8), message);
    }

    /** Only {@code Delivered-To: recipient}: a forwarded copy gets its Return-Path from its next delivery. */
    static PrefixedContent withDeliveredTo(MailAddress recipient, MessageContent message) {
        String header = "Delivered-To: " + headerSafe(recipient.toString()) + "\r\n";
        return new PrefixedContent(header.getBytes(StandardCharsets.UTF_8), message);
    }

    /** Addresses come from the envelope; a CR or LF in one must not start a header of its own. */
    private static String headerSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f) sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public InputStream openStream() throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(prefix), message.openStream());
    }

    @Override
    public long size() throws IOException {
        return prefix.length + message.size();
    }
}
