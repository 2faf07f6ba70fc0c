package org.mailhive.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.mailhive.api.mail.SmtpReply;
import org.mailhive.api.smtp.Check;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.smtp.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classic open-relay probes, sent from a client outside mynetworks and judged by the default
 * smtpd_recipient_restrictions: none of them may be accepted.
 */
class RelayTortureTest {

    private static final List<Check> DEFAULT_ORDER = List.of(
            new PermitMynetworks(Fakes.IDENTITY),
            new PermitSaslAuthenticated(),
            new RejectUnauthDestination(Fakes.RESOLVER),
            new RejectUnknownRecipient(Fakes.RESOLVER, Fakes.USERS));

    /** What the listener does: first decision wins, the end of the list accepts (null). */
    private static SmtpReply evaluate(SmtpContext ctx, String path) {
        for (Check c : DEFAULT_ORDER) {
            Verdict v = c.onRecipient(ctx, Fakes.rcpt(path));
            if (v.kind() == Verdict.Kind.PERMIT) return null;
            if (v.kind() == Verdict.Kind.REJECT) return v.reply();
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<victim@remote.test>",
        "<victim%remote.test@localhost>",
        "<\"victim@remote.test\"@localhost>",
        "<@localhost:victim@remote.test>",
        "<remote.test!victim@localhost>",
        "<victim@remote.test.>",
    })
    void relayProbeFromOutsideIsRefused(String path) {
        SmtpReply reply = evaluate(Fakes.client("192.0.2.7", null), path);
        assertTrue(reply != null && reply.code() >= 400, path + " was accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<victim@remote.test>", "<@localhost:victim@remote.test>", "<victim@remote.test.>"})
    void remoteProbesAreRelayDenials(String path) {
        assertEquals(554, evaluate(Fakes.client("192.0.2.7", null), path).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<victim%remote.test@localhost>", "<remote.test!victim@localhost>",
        "<\"victim@remote.test\"@localhost>"})
    void localRoutingProbesAreUnknownUsers(String path) {
        assertEquals("5.1.1", evaluate(Fakes.client("192.0.2.7", null), path).status().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<alice@localhost>", "<postmaster@localhost>"})
    void realLocalRecipientsAreAccepted(String path) {
        assertEquals(null, evaluate(Fakes.client("192.0.2.7", null), path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<victim@remote.test>", "<@localhost:victim@remote.test>"})
    void mynetworksMayRelay(String path) {
        assertEquals(null, evaluate(Fakes.client("127.0.0.1", null), path));
    }
}
