package org.mailhive.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailhive.api.aliases.AliasExpander;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;

class UnknownRecipientAliasTest {

    private static final SmtpContext OUTSIDE = Fakes.client("192.0.2.7", null);

    /** Knows the local parts "team" and "late" (case-insensitive, any domain) and records what it was asked. */
    private static final class FakeAliases implements AliasExpander {
        final Set<String> names = Set.of("team", "late");
        final List<MailAddress> asked = new ArrayList<>();

        @Override
        public Optional<List<AliasTarget>> expand(MailAddress recipient) {
            return Optional.empty();
        }

        @Override
        public boolean isAlias(MailAddress recipient) {
            asked.add(recipient);
            return names.contains(recipient.localPart().toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void aliasNameIsAcceptedThoughNoUserHasIt() {
        FakeAliases aliases = new FakeAliases();
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS, aliases);
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<Team@localhost>")));
        assertEquals(List.of(MailAddress.of("Team", "localhost")), aliases.asked);
    }

    @Test
    void neitherAliasNorUserIsStillRejected() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS, new FakeAliases());
        Verdict v = check.onRecipient(OUTSIDE, Fakes.rcpt("<nobody@localhost>"));
        assertEquals("550 5.1.1 <nobody@localhost>: Recipient address rejected: User unknown in local recipient table",
                v.reply().summary());
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<alice@localhost>")));
    }

    @Test
    void withoutExpanderAnAliasNameIsUnknownAsBefore() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS, null);
        assertEquals(550, check.onRecipient(OUTSIDE, Fakes.rcpt("<team@localhost>")).reply().code());
    }

    @Test
    void aliasIsAcceptedWhileTheDirectoryIsAway() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, null, new FakeAliases());
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<late@localhost>")));
        assertEquals(450, check.onRecipient(OUTSIDE, Fakes.rcpt("<nobody@localhost>")).reply().code());
    }

    @Test
    void remoteAddressesAreNeverAskedAbout() {
        FakeAliases aliases = new FakeAliases();
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS, aliases);
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<team@remote.test>")));
        assertEquals(List.of(), aliases.asked);
    }

    @Test
    void addressExtensionOfAUserIsKnownUnlessTheDelimiterIsOff() {
        RejectUnknownRecipient check = new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS, null);
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<alice+lists@localhost>")));
        assertEquals(550, check.onRecipient(OUTSIDE, Fakes.rcpt("<bob+lists@localhost>")).reply().code());
        assertEquals(550, check.onRecipient(OUTSIDE, Fakes.rcpt("<+alice@localhost>")).reply().code());
        check.configure(java.util.Map.of("recipient_delimiter", "-"));
        assertEquals(550, check.onRecipient(OUTSIDE, Fakes.rcpt("<alice+lists@localhost>")).reply().code());
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<alice-lists@localhost>")));
        check.configure(java.util.Map.of("recipient_delimiter", "a@b"));
        assertEquals(Verdict.DUNNO, check.onRecipient(OUTSIDE, Fakes.rcpt("<alice-lists@localhost>")),
                "a bad value keeps the previous delimiter");
    }
}
