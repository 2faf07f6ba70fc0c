package org.mailhive.api.smtp;

import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

/**
 * One smtpd restriction (permit_mynetworks, reject_unauth_destination…). Registered with the
 * service property {@link #NAME}; a listener evaluates the checks its restriction lists name,
 * in that order, until one decides. Checks must not block for long: DNS work is asynchronous
 * in the resolver and bounded by its timeouts.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Check {

    /** Service property: the restriction name as written in smtpd_*_restrictions. */
    String NAME = "mail.check";

    default Verdict onConnect(SmtpContext session) {
        return Verdict.DUNNO;
    }

    default Verdict onSender(SmtpContext session, MailAddress sender) {
        return Verdict.DUNNO;
    }

    default Verdict onRecipient(SmtpContext session, Recipient recipient) {
        return Verdict.DUNNO;
    }

    /**
     * A restriction written with an argument ({@code reject_rbl_client zen.example}) is called
     * here with it. In a restriction list an argument is the token after the name that contains
     * a dot, colon or slash, so names never do. Checks that take no argument keep the default.
     */
    default Verdict onRecipient(SmtpContext session, Recipient recipient, String argument) {
        return onRecipient(session, recipient);
    }
}
