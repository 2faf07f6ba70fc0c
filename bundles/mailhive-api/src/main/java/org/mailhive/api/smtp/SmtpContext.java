package org.mailhive.api.smtp;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

/** What a restriction may know about the SMTP session it judges. Read-only. */
@org.osgi.annotation.versioning.ProviderType
public interface SmtpContext {

    InetAddress clientAddress();

    /** Reverse DNS name of the client, or "unknown". */
    String clientName();

    /** HELO/EHLO argument, or empty before HELO. */
    String helo();

    /** The listener's name (mta, submission, smtps). */
    String listener();

    boolean tls();

    Optional<String> authenticatedUser();

    /** MAIL FROM of the current transaction; null before MAIL. */
    MailAddress sender();

    /** Recipients accepted so far in this transaction. */
    List<Recipient> recipients();
}
