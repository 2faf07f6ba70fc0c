package org.mailhive.smtp.internal;

import java.util.ArrayList;
import java.util.List;
import org.mailhive.api.mail.SmtpReply;

/** HELO and EHLO: name the client, reset the transaction, and (EHLO) list the extensions. */
final class HeloCommand implements SmtpCommand {

    private final boolean extended;

    HeloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public SmtpReply execute(SmtpSession session, String argument) {
        String name = argument.split(" ", 2)[0];
        if (name.isEmpty()) return extended ? Replies.EHLO_SYNTAX : Replies.HELO_SYNTAX;
        session.helo(name, extended);
        String host = session.hostname();
        if (!extended) return SmtpReply.of(250, (String) null, host);
        List<String> lines = new ArrayList<>();
        lines.add(host);
        lines.add("PIPELINING");
        long limit = session.settings().messageSizeLimit();
        lines.add(limit > 0 ? "SIZE " + limit : "SIZE");
        if (session.startTlsOffered()) lines.add("STARTTLS");
        if (AuthCommand.offered(session)) lines.add("AUTH " + AuthCommand.MECHANISMS);
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        lines.add("DSN");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        // RFC 2034: no enhanced codes in EHLO replies
        return new SmtpReply(250, null, lines);
    }
}
