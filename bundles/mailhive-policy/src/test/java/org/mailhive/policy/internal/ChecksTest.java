package org.mailhive.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static final SmtpContext OUTSIDE = Fakes.client("192.0.2.7", null);
    private static final SmtpContext INSIDE = Fakes.client("127.0.0.1", null);

    @Test
    void mynetworksPermitsInsideAndGoesOnOutside() {
        PermitMynetworks check = new PermitMynetworks(Fakes.IDENTITY);
        assertEquals(Verdict.PERMIT, check.onRecipient(INSIDE, Fakes.rcpt("<x@remote.test>")));
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<x@remote.test>")));
    }

    @Test
    void mynetworksWithoutIdentityIsTemporaryNeverPermit() {
        Verdict v = new PermitMynetworks(null).onRecipient(INSIDE, Fakes.rcpt("<x@remote.test>"));
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertEquals("451 4.3.0", v.reply().code() + " " + v.reply().status());
    }

    @Test
    void saslAuthenticatedPermitsOnlyLoggedInClients() {
        PermitSaslAuthenticated check = new PermitSaslAuthenticated();
        assertEquals(Verdict.PERMIT, check.onRecipient(Fakes.client("192.0.2.7", "alice"), Fakes.rcpt("<x@remote.test>")));
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<x@remote.test>")));
    }

    @Test
    void unauthDestinationRejectsRemoteOnly() {
        RejectUnauthDestination check = new RejectUnauthDestination(Fakes.RESOLVER);
        Verdict remote = check.onRecipient(OUTSIDE, Fakes.rcpt("<victim@remote.test>"));
        assertEquals("554 5.7.1 <victim@remote.test>: Relay access denied", remote.reply().summary());
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<alice@localhost>")));
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<bob@relay.test>")));
    }

    @Test
    void unauthDestinationWithoutResolverOrWithFailingResolverIsTemporary() {
        Verdict none = new RejectUnauthDestination(null).onRecipient(OUTSIDE, Fakes.rcpt("<alice@localhost>"));
        assertEquals(451, none.reply().code());
        Verdict broken = new RejectUnauthDestination(a -> { throw new IllegalStateException("map gone"); })
                .onRecipient(OUTSIDE, Fakes.rcpt("<alice@localhost>"));
        assertEquals(451, broken.reply().code());
    }

    @Test
    void unknownRecipientRejectsUnknownLocalUsers() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS);
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<Alice@LOCALHOST>")));
        Verdict bob = check.onRecipient(OUTSIDE, Fakes.rcpt("<bob@localhost>"));
        assertEquals("550 5.1.1 <bob@localhost>: Recipient address rejected: User unknown in local recipient table",
                bob.reply().summary());
    }

    @Test
    void postmasterIsAlwaysAcceptedEvenWithoutDirectory() {
        assertEquals(Verdict.DUNNO, new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS)
                .onRecipient(OUTSIDE, Fakes.rcpt("<PostMaster@localhost>")));
        assertEquals(Verdict.DUNNO, new RejectUnknownRecipient(Fakes.RESOLVER, null)
                .onRecipient(OUTSIDE, Fakes.rcpt("<postmaster@localhost>")));
    }

    @Test
    void unknownRecipientLeavesNonLocalClassesAlone() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS);
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<bob@relay.test>")));
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<bob@remote.test>")));
    }

    @Test
    void unknownRecipientWithoutDirectoryIs450AndWithoutResolver451() {
        Verdict noDir = new RejectUnknownRecipient(Fakes.RESOLVER, null).onRecipient(OUTSIDE, Fakes.rcpt("<alice@localhost>"));
        assertEquals(450, noDir.reply().code());
        assertEquals("4.3.0", noDir.reply().status().toString());
        Verdict noResolver = new RejectUnknownRecipient(null, Fakes.USERS).onRecipient(OUTSIDE, Fakes.rcpt("<alice@localhost>"));
        assertEquals(451, noResolver.reply().code());
        assertTrue(noResolver.decided());
    }

    @Test
    void unknownRecipientUsesCanonicalAddressFromResolver() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(
                a -> new Resolution(org.mailhive.api.mail.MailAddress.of("alice", "localhost"), AddressClass.LOCAL, "local", ""),
                Fakes.USERS);
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<alias@localhost>")));
    }
}
