package org.mailhive.delivery.internal;

import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

/** ORIGINAL_RECIPIENT of a mailbox_command: what the client wrote in RCPT ORCPT=, decoded. */
final class OriginalRecipient {

    private OriginalRecipient() {
    }

    /** The address as the client gave it (RCPT ORCPT=rfc822;…), else the recipient itself. */
    static String of(DeliveryRequest request, MailAddress rcpt) {
        for (Recipient r : request.envelope().recipients()) {
            if (!r.address().equals(rcpt)) continue;
            String orcpt = r.parameters().get(Recipient.ORCPT);
            if (orcpt != null && orcpt.regionMatches(true, 0, "rfc822;", 0, 7)) return xtextDecode(orcpt.substring(7));
        }
        return rcpt.toString();
    }

    /** RFC 3461 xtext: {@code +HH} stands for a byte; anything malformed is kept as written. */
    private static String xtextDecode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                char d = (char) Integer.parseInt(s.substring(i + 1, i + 3), 16);
                sb.append(d >= 0x20 && d != 0x7f ? d : ' ');
                i += 2;
            } else {
                sb.append(c >= 0x20 && c != 0x7f ? c : ' ');
            }
        }
        return sb.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
