package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.QueueId;

class QueueCommitTest {

    @TempDir
    Path root;

    private QueueManager queue;

    private QueueManager start(TestSupport.RecordingOps ops) throws Exception {
        queue = new QueueManager(new TestSupport.MutableClock(Instant.parse("2026-03-01T10:00:00Z")), ops);
        queue.start(TestSupport.settings(root, 2, 100), false);
        return queue;
    }

    @AfterEach
    void stop() {
        if (queue != null) queue.stop();
    }

    @Test
    void commitMakesEverythingDurableInOrderBeforeReturning() throws Exception {
        TestSupport.RecordingOps ops = new TestSupport.RecordingOps(root);
        start(ops);
        byte[] body = "Subject: hi\r\n\r\nbody \u00e9\r\n".getBytes(StandardCharsets.UTF_8);
        MessageDraft draft = queue.create(TestSupport.envelope("alice@localhost"));
        String id = draft.id().value();
        assertTrue(id.matches("[0-9A-F]+"), id);
        try (OutputStream out = draft.content()) {
            out.write(body);
        }
        assertEquals(List.of(id), TestSupport.names(root.resolve("tmp")));
        ops.steps.clear();
        // no resolver and no agent: the message must stay in the queue after commit
        QueueId committed = draft.commit();
        assertEquals(id, committed.value());
        List<String> atReturn = List.copyOf(ops.steps);
        assertTrue(atReturn.size() >= 4, atReturn.toString());
        // the entry file and its new directory entry are synced (any order), both before the rename
        assertEquals(java.util.Set.of(
                "fsync tmp/" + id + "/entry",
                "fsyncdir tmp/" + id), java.util.Set.copyOf(atReturn.subList(0, 2)));
        assertEquals(List.of(
                "move tmp/" + id + " incoming/" + id,
                "fsyncdir incoming"), atReturn.subList(2, 4));
        assertTrue(queue.awaitIdle(Duration.ofSeconds(10)));
        Path stored = root.resolve("deferred").resolve(id);
        assertArrayEquals(body, TestSupport.message(stored));
        QueueFile f = TestSupport.envelopeOf(stored);
        assertEquals("alice@localhost", f.recipients().get(0).recipient().address().toString());
        assertEquals(List.of(), TestSupport.names(root.resolve("tmp")));
    }

    @Test
    void idsAreUniqueAndIncreasing() throws Exception {
        start(new TestSupport.RecordingOps(root));
        MessageDraft a = queue.create(TestSupport.envelope("a@localhost"));
        MessageDraft b = queue.create(TestSupport.envelope("b@localhost"));
        assertTrue(QueueIds.compare(a.id().value(), b.id().value()) < 0, a.id() + " " + b.id());
        a.abort();
        b.abort();
    }

    @Test
    void afterARestartWithTheClockSteppedBackNewIdsStillSortAfterEveryQueuedMessage() throws Exception {
        // messages queued by a run whose clock was a day ahead of the one the queue starts with now
        long ahead = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli() * 1000;
        String deferredId = Long.toHexString(ahead).toUpperCase(java.util.Locale.ROOT);
        String heldId = Long.toHexString(ahead + 5).toUpperCase(java.util.Locale.ROOT);
        Files.createDirectories(root.resolve("deferred").resolve(deferredId));
        Files.createDirectories(root.resolve("hold").resolve(heldId));
        Files.createDirectories(root.resolve("hold").resolve("not-an-id"));
        start(new TestSupport.RecordingOps(root));
        MessageDraft a = queue.create(TestSupport.envelope("a@localhost"));
        assertTrue(QueueIds.compare(heldId, a.id().value()) < 0, heldId + " " + a.id());
        assertTrue(Files.isDirectory(root.resolve("hold").resolve(heldId)), "the held message is untouched");
        a.abort();
    }

    @Test
    void abortAndCloseLeaveNothing() throws Exception {
        start(new TestSupport.RecordingOps(root));
        MessageDraft a = queue.create(TestSupport.envelope("a@localhost"));
        a.content().write("x\r\n".getBytes(StandardCharsets.US_ASCII));
        a.abort();
        a.abort();
        try (MessageDraft b = queue.create(TestSupport.envelope("b@localhost"))) {
            b.content().write("y\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        for (String q : List.of("tmp", "incoming", "active", "deferred", "hold")) {
            assertEquals(List.of(), TestSupport.names(root.resolve(q)), q);
        }
        MailException e = assertThrows(MailException.class, a::commit);
        assertEquals(451, e.reply().code());
    }

    @Test
    void failedCommitAnswers451AndRemovesTheFile() throws Exception {
        TestSupport.RecordingOps ops = new TestSupport.RecordingOps(root);
        start(ops);
        MessageDraft d = queue.create(TestSupport.envelope("a@localhost"));
        d.content().write("x\r\n".getBytes(StandardCharsets.US_ASCII));
        ops.failMoves = true;
        MailException e = assertThrows(MailException.class, d::commit);
        assertEquals(451, e.reply().code());
        assertEquals("4.3.0", e.reply().status().toString());
        assertTrue(e.isTemporary());
        assertEquals(List.of(), TestSupport.names(root.resolve("tmp")));
        assertEquals(List.of(), TestSupport.names(root.resolve("incoming")));
    }

    @Test
    void layoutIsCreatedAndStaleTmpIsSwept() throws Exception {
        Files.createDirectories(root.resolve("tmp/0123ABC"));
        Files.writeString(root.resolve("tmp/0123ABC/entry"), "version=1\nhalf");
        start(new TestSupport.RecordingOps(root));
        for (String q : List.of("tmp", "incoming", "active", "deferred", "hold", "maildrop")) {
            assertTrue(Files.isDirectory(root.resolve(q)), q);
        }
        // the interrupted draft is no message: its directory is a free entry now, emptied
        List<String> free = TestSupport.names(root.resolve("tmp"));
        assertEquals(1, free.size(), free.toString());
        assertTrue(free.get(0).startsWith(EntryPool.PREFIX), free.toString());
        assertEquals("v", Files.readString(root.resolve("tmp").resolve(free.get(0)).resolve("entry")));
        for (String q : List.of("incoming", "active", "deferred", "hold")) {
            assertEquals(List.of(), TestSupport.names(root.resolve(q)), q);
        }
    }
}
