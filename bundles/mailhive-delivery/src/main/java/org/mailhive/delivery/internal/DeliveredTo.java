package org.mailhive.delivery.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;

/**
 * The Delivered-To addresses a message already carries, read from its header section only and
 * streamed (the body is never read). Each local delivery adds one, so finding the recipient at
 * hand among them means the message has come round to us again: a forwarding loop.
 */
final class DeliveredTo {

    private static final String NAME = "delivered-to:";
    /** Header lines longer than this are not ours: read past them without keeping them. */
    private static final int MAX_LINE = 4096;

    private final Set<String> addresses;

    private DeliveredTo(Set<String> addresses) {
        this.addresses = addresses;
    }

    static DeliveredTo scan(MessageContent content) throws IOException {
        Set<String> found = new HashSet<>();
        try (InputStream in = new BufferedInputStream(content.openStream(), 8192)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean truncated = false;
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (line.size() < MAX_LINE) line.write(b);
                    else truncated = true;
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
                if (text.isEmpty()) break;
                if (!truncated && text.regionMatches(true, 0, NAME, 0, NAME.length())) {
                    found.add(normalize(text.substring(NAME.length())));
                }
                line.reset();
                truncated = false;
            }
        }
        return new DeliveredTo(found);
    }

    /** We write the address bare; others may have used angle brackets or kept folding white space. */
    private static String normalize(String value) {
        String v = value.trim();
        if (v.startsWith("<") && v.endsWith(">")) v = v.substring(1, v.length() - 1).trim();
        return v.toLowerCase(Locale.ROOT);
    }

    boolean contains(MailAddress recipient) {
        return addresses.contains(recipient.toString().toLowerCase(Locale.ROOT));
    }
}
