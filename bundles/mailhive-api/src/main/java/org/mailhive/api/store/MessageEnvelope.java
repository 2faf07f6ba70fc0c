package org.mailhive.api.store;

/**
 * The parts of a message's header that make up an IMAP ENVELOPE (RFC 3501 7.4.2), as raw
 * unfolded field values (the first field of each name); null when the field is absent. Parsing
 * the addresses and encoded words is left to the protocol that renders them. As RFC 3501 says,
 * Sender and Reply-To that are absent or empty take the value of From.
 */
public record MessageEnvelope(String date, String subject, String from, String sender, String replyTo, String to,
        String cc, String bcc, String inReplyTo, String messageId) {

    public static MessageEnvelope of(MessageHeaders h) {
        String from = h.get("From");
        return new MessageEnvelope(h.get("Date"), h.get("Subject"), from, orFrom(h.get("Sender"), from),
                orFrom(h.get("Reply-To"), from), h.get("To"), h.get("Cc"), h.get("Bcc"), h.get("In-Reply-To"),
                h.get("Message-ID"));
    }

    private static String orFrom(String value, String from) {
        return value == null || value.isBlank() ? from : value;
    }
}
