package org.mailhive.queue.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;

/** One file per queued message: the envelope, then the message, read back apart. */
class QueueEntryFileTest {

    @TempDir
    Path root;

    private Path write(String id, QueueFile f, byte[] message) throws IOException {
        Path dir = Files.createDirectories(root.resolve("active").resolve(id));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(QueueEntryFile.header(f));
        b.write(message);
        Files.write(dir.resolve(QueueEntryFile.NAME), b.toByteArray());
        return dir;
    }

    private static byte[] content(QueueDirectory.Entry e) throws IOException {
        try (InputStream in = e.content().openStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void aMessageThatLooksLikeAnEnvelopeEndStaysMessage() throws Exception {
        // values a client chose: line breaks and "end" lines in them must not end the envelope
        Envelope env = new Envelope(MailAddress.parse("s@remote.test"),
                java.util.List.of(new Recipient(MailAddress.parse("a@localhost"), Map.of("ORCPT", "rfc822;x\nend\n"))),
                Map.of("helo", "end\n\nend"));
        QueueFile f = QueueFile.fresh(env, Instant.parse("2026-03-01T10:00:00Z"));
        byte[] message = "end\nSubject: x\r\n\r\nend\r\n\nend\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        QueueDirectory.Entry e = dirs.read(write("0A", f, message));
        assertTrue(e.pristine());
        assertEquals(EnvelopeCodec.encode(f), EnvelopeCodec.encode(e.file()));
        assertArrayEquals(message, content(e));
        assertEquals(message.length, e.content().size());
    }

    @Test
    void anEnvelopeWrittenLaterCountsAndTheEntryIsNoLongerPristine() throws Exception {
        QueueFile f = QueueFile.fresh(TestSupport.envelope("a@localhost"), Instant.EPOCH);
        byte[] message = "Subject: y\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        Path dir = write("0B", f, message);
        QueueFile later = f.withAttempt(3, Instant.parse("2026-03-02T10:00:00Z"), "mailbox locked");
        dirs.replaceEnvelope(dir, later, later.nextTry());
        QueueDirectory.Entry e = dirs.read(dir);
        assertFalse(e.pristine());
        assertEquals(3, e.file().attempts());
        assertArrayEquals(message, content(e));
    }

    @Test
    void aMessageQueuedBeforeTheEntryFileIsReadAsItWas() throws Exception {
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        Path dir = Files.createDirectories(root.resolve("deferred").resolve("0C"));
        byte[] message = "Subject: old format\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve(QueueDirectory.MESSAGE), message);
        TestSupport.writeEnvelope(dir, QueueFile.fresh(TestSupport.envelope("b@localhost"), Instant.EPOCH));
        QueueDirectory.Entry e = dirs.read(dir);
        assertFalse(e.pristine(), "not reused: it has the files of the format before");
        assertEquals("b@localhost", e.file().recipients().get(0).recipient().address().toString());
        assertArrayEquals(message, content(e));
    }

    @Test
    void aFileWithoutAnEnvelopeIsAnErrorAndNoMessageIsNoSuchFile() throws Exception {
        QueueDirectory dirs = new QueueDirectory(root, new TestSupport.RecordingOps(root));
        Path dir = Files.createDirectories(root.resolve("active").resolve("0D"));
        Files.writeString(dir.resolve(QueueEntryFile.NAME), "Subject: no envelope\r\n\r\nend\r\n");
        IOException bad = assertThrows(IOException.class, () -> dirs.read(dir));
        assertFalse(bad instanceof NoSuchFileException);
        Files.writeString(dir.resolve(QueueEntryFile.NAME), "version=1\nsender=\nend\n");
        assertThrows(IOException.class, () -> dirs.read(dir), "a torn envelope is corrupt, not an empty one");
        Path empty = Files.createDirectories(root.resolve("active").resolve("0E"));
        assertThrows(NoSuchFileException.class, () -> dirs.read(empty));
    }
}
