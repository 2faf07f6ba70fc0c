package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.queue.QueueAdmin;
import org.mailhive.api.queue.QueueEntry;
import org.mailhive.api.queue.QueueId;

class QueueAdminTest {

    @TempDir
    Path root;

    QueueFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) fx.close();
    }

    QueueAdmin admin() {
        return fx.queue;
    }

    String where(String id) {
        for (String q : List.of("incoming", "active", "deferred", "hold")) {
            if (Files.exists(root.resolve(q).resolve(id))) return q;
        }
        return "gone";
    }

    int attempts(String id) throws Exception {
        return fx.queue.directory().readEnvelope(root.resolve(where(id)).resolve(id)).attempts();
    }

    @Test
    void listShowsPendingRecipientsWithReasonAndNextTry() throws Exception {
        fx = new QueueFixture(root);
        String id = fx.submit("defer-a@remote.test", "ok@localhost");
        fx.idle();
        List<QueueEntry> list = admin().list();
        assertEquals(1, list.size());
        QueueEntry e = list.get(0);
        assertEquals(id, e.id().value());
        assertEquals("deferred", e.queue());
        assertEquals(MailAddress.parse("sender@example.org"), e.sender());
        assertEquals(List.of(new QueueEntry.Pending(MailAddress.parse("defer-a@remote.test"), QueueFixture.REASON)),
                e.recipients());
        assertEquals(QueueFixture.T0.plusSeconds(300), e.nextTry());
        assertEquals(QueueFixture.T0, e.arrival());
        long size = TestSupport.message(root.resolve("deferred").resolve(id)).length;
        assertEquals(size, e.size());

        String mailq = QueueCommands.mailq(list, ZoneOffset.UTC);
        String first = String.format("%-14s %8d Sun Mar  1 10:00:00  sender@example.org", id, size);
        String indent = " ".repeat(first.length() - "sender@example.org".length());
        assertEquals(QueueCommands.HEADER + "\n" + first + "\n(" + QueueFixture.REASON + ")\n" + indent
                + "defer-a@remote.test\n\n-- 1 Kbytes in 1 Request.\n", mailq);
        assertEquals("Mail queue is empty\n", QueueCommands.mailq(List.of(), ZoneOffset.UTC));

        assertEquals(e, admin().show(new QueueId(id)).orElseThrow());
        String headers = admin().headers(new QueueId(id)).orElseThrow();
        assertTrue(headers.contains("Subject: fixture defer-a@remote.test\r\n"), headers);
        assertFalse(headers.contains("body"));
        assertTrue(admin().show(new QueueId("ABCDEF")).isEmpty());
    }

    @Test
    void holdReleaseRequeueAndDeleteAll() throws Exception {
        fx = new QueueFixture(root);
        String a = fx.submit("defer-1@remote.test");
        String b = fx.submit("defer-2@remote.test");
        String c = fx.submit("defer-3@remote.test");
        fx.idle();

        assertEquals(1, admin().hold(List.of(a)));
        assertEquals("hold", where(a));
        assertEquals("!", QueueCommands.mailq(admin().list(), ZoneOffset.UTC).lines()
                .filter(l -> l.startsWith(a)).findFirst().orElseThrow().substring(a.length(), a.length() + 1));
        assertEquals(0, admin().hold(List.of(a)), "already on hold");
        assertEquals(2, admin().flush(null), "flush leaves held mail alone");
        fx.idle();
        assertEquals("hold", where(a));
        assertEquals(2, attempts(b));

        assertEquals(1, admin().release(List.of(a)));
        fx.idle();
        assertEquals("deferred", where(a));
        assertEquals(2, attempts(a));

        assertEquals(3, admin().requeue(List.of(QueueAdmin.ALL)));
        fx.idle();
        for (String id : List.of(a, b, c)) {
            assertEquals("deferred", where(id));
            assertEquals(1, attempts(id), "requeue starts the backoff afresh");
        }

        assertEquals(1, admin().hold(List.of(c)));
        assertEquals(3, admin().delete(List.of("ALL")));
        for (String q : List.of("incoming", "active", "deferred", "hold", "tmp")) {
            assertEquals(List.of(), TestSupport.names(root.resolve(q)), q);
        }
        assertEquals(List.of(), admin().list());
        assertEquals(0, admin().delete(List.of(a)));
    }

    @Test
    void flushByDomain() throws Exception {
        fx = new QueueFixture(root);
        String one = fx.submit("defer@one.test");
        String two = fx.submit("defer@two.test");
        fx.idle();
        assertEquals(1, admin().flush("ONE.test"));
        fx.idle();
        assertEquals(2, attempts(one));
        assertEquals(1, attempts(two));
        assertEquals(2, admin().flush(null));
        fx.idle();
        assertEquals(3, attempts(one));
        assertEquals(2, attempts(two));
    }

    @Test
    void deleteAndHoldOfAMessageBeingDeliveredWaitForItsPass() throws Exception {
        fx = new QueueFixture(root);
        String id = fx.submit("slow@remote.test");
        assertTrue(fx.slowEntered.await(20, TimeUnit.SECONDS));
        assertEquals("active", where(id));
        assertEquals("*", QueueCommands.mailq(admin().list(), ZoneOffset.UTC).lines()
                .filter(l -> l.startsWith(id)).findFirst().orElseThrow().substring(id.length(), id.length() + 1));
        assertEquals(1, admin().delete(List.of(id)));
        assertEquals("active", where(id), "not pulled away from under the agent");
        fx.proceed.countDown();
        fx.idle();
        assertEquals("gone", where(id));
    }

    @Test
    void holdOfAMessageBeingDelivered() throws Exception {
        fx = new QueueFixture(root);
        String id = fx.submit("slow@remote.test");
        assertTrue(fx.slowEntered.await(20, TimeUnit.SECONDS));
        assertEquals(1, admin().hold(List.of(id)));
        fx.proceed.countDown();
        fx.idle();
        assertEquals("hold", where(id));
    }

    @Test
    void offlineOperationsWorkOnTheFiles() throws Exception {
        fx = new QueueFixture(root);
        String a = fx.submit("defer-1@remote.test");
        String b = fx.submit("defer-2@remote.test");
        fx.idle();
        fx.close();
        fx = null;
        // an interrupted pass left one in active/
        Files.move(root.resolve("deferred").resolve(b), root.resolve("active").resolve(b));
        QueueAdminOps off = new QueueAdminOps(new QueueDirectory(root, RealDiskOps.INSTANCE), QueueAdminOps.OFFLINE);
        assertEquals(List.of(a, b), off.list().stream().map(e -> e.id().value()).toList());
        assertEquals(1, off.hold(List.of(b)));
        assertEquals("hold", where(b));
        assertEquals(2, off.delete(List.of("ALL")));
        assertEquals(List.of(), off.list());
        QueueAdminOps none = new QueueAdminOps(new QueueDirectory(root.resolve("missing"), RealDiskOps.INSTANCE),
                QueueAdminOps.OFFLINE);
        assertEquals(List.of(), none.list());
        assertEquals(0, none.delete(List.of("ALL")));
        assertFalse(Files.exists(root.resolve("missing")));
    }
}
