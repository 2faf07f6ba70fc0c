package org.mailhive.store.mbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MboxFormatTest {

    @Test
    void fromLineIsAsctimeWithPaddedDay() {
        byte[] line = MboxFormat.fromLine("alice@example.org", Instant.parse("2026-11-04T05:13:52Z"), ZoneOffset.UTC);
        assertEquals("From alice@example.org Wed Nov  4 05:13:52 2026\n", new String(line, StandardCharsets.US_ASCII));
    }

    @Test
    void fromLineDateParsesCommonVariants() {
        Instant t = Instant.parse("2026-11-24T05:13:52Z");
        assertEquals(t, MboxFormat.fromLineDate("From a@b Tue Nov 24 05:13:52 2026", ZoneOffset.UTC));
        assertEquals(t, MboxFormat.fromLineDate("From MAILER-DAEMON  Tue Nov 24 05:13:52 +0000 2026", ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-11-04T05:13:00Z"),
                MboxFormat.fromLineDate("From a@b Wed Nov  4 05:13 2026", ZoneOffset.UTC));
        assertEquals(null, MboxFormat.fromLineDate("From nobody", ZoneOffset.UTC));
    }

    @Test
    void senderComesFromAReturnPathFirstLine() {
        assertEquals("bob@example.org", MboxFormat.senderFrom("Return-Path: <bob@example.org>"));
        assertEquals("MAILER-DAEMON", MboxFormat.senderFrom("Return-Path: <>"));
        assertEquals("MAILER-DAEMON", MboxFormat.senderFrom("Subject: hi"));
        assertEquals("MAILER-DAEMON", MboxFormat.senderFrom("Return-Path: <a b@c>"));
        assertEquals("MAILER-DAEMON", MboxFormat.senderFrom(null));
    }

    @Test
    void metaHeadersFollowMutt() {
        assertEquals("Status: RO\nX-Status: AFTD\nX-Keywords: $Label1 work\n", new String(MboxFormat.metaHeaders(
                Set.of("\\Seen", "\\answered", "\\Flagged", "\\Draft", "\\Deleted", "work", "$Label1", "\\Recent"),
                false), StandardCharsets.US_ASCII));
        assertEquals("", new String(MboxFormat.metaHeaders(Set.of(), false), StandardCharsets.US_ASCII));
        assertEquals("Status: O\n", new String(MboxFormat.metaHeaders(Set.of(), true), StandardCharsets.US_ASCII));
        Set<String> flags = MboxFormat.newFlagSet();
        MboxFormat.parseMetaHeader("Status: RO", flags);
        MboxFormat.parseMetaHeader("X-Status: AF", flags);
        MboxFormat.parseMetaHeader("X-Keywords: a, b", flags);
        assertEquals(Set.of("\\Seen", "\\Answered", "\\Flagged", "a", "b"), flags);
    }

    @Test
    void fromLikeLines() {
        assertTrue(MboxFormat.isFromLike(b("From x"), 0, 6));
        assertTrue(MboxFormat.isFromLike(b(">>From x"), 0, 8));
        assertFalse(MboxFormat.isFromLike(b("From: x"), 0, 7));
        assertFalse(MboxFormat.isFromLike(b("Fromage"), 0, 7));
        assertFalse(MboxFormat.isQuotedFrom(b("From x"), 0, 6));
        assertTrue(MboxFormat.isQuotedFrom(b(">From x"), 0, 7));
    }

    @Test
    void lineReaderNeverSplitsCrlfAndRebuildsTheInput() throws IOException {
        String text = "short\r\n" + "x".repeat(15) + "\r\n" + "y".repeat(40) + "\nlast";
        LineReader r = new LineReader(new ByteArrayInputStream(b(text)), 100, 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long expectedOffset = 100;
        int lines = 0;
        while (r.next()) {
            assertEquals(expectedOffset, r.offset());
            if (r.lineStart()) lines++;
            int end = r.start() + r.length();
            if (!r.endsLine()) assertFalse(r.buffer()[end - 1] == '\r' && r.length() > 1, "a CR left at a segment end");
            out.write(r.buffer(), r.start(), r.length());
            expectedOffset += r.length();
        }
        assertEquals(text, out.toString(StandardCharsets.US_ASCII));
        assertEquals(4, lines);
    }

    @Test
    void reconcileKeepsUidsOverExternalDeletesAndAppends() {
        UidIndex idx = new UidIndex(100, 4, List.of(new UidIndex.Entry(1, "a"), new UidIndex.Entry(2, "b"),
                new UidIndex.Entry(3, "c")));
        UidIndex.Result r = UidIndex.reconcile(idx, List.of("a", "c", "d"), 500);
        assertEquals(100, r.index().uidValidity);
        assertEquals(List.of(1L, 3L, 4L), List.of(r.uids()[0], r.uids()[1], r.uids()[2]));
        assertEquals(5, r.index().uidNext);
        assertTrue(r.changed());

        UidIndex.Result same = UidIndex.reconcile(idx, List.of("a", "b", "c"), 500);
        assertFalse(same.changed());

        // a moved message counts as new, which keeps UIDs growing in file order
        UidIndex.Result moved = UidIndex.reconcile(idx, List.of("b", "x", "a"), 500);
        assertEquals(100, moved.index().uidValidity);
        assertEquals(List.of(2L, 4L, 5L), List.of(moved.uids()[0], moved.uids()[1], moved.uids()[2]));

        // a message inserted before known ones cannot get a UID that fits: start over
        UidIndex.Result inserted = UidIndex.reconcile(idx, List.of("x", "a", "b"), 500);
        assertEquals(500, inserted.index().uidValidity);
        assertEquals(List.of(1L, 2L, 3L), List.of(inserted.uids()[0], inserted.uids()[1], inserted.uids()[2]));
        assertEquals(4, inserted.index().uidNext);
        assertEquals(101, UidIndex.reconcile(idx, List.of("x", "a"), 50).index().uidValidity);

        UidIndex.Result dup = UidIndex.reconcile(new UidIndex(7, 3, List.of(new UidIndex.Entry(1, "a"),
                new UidIndex.Entry(2, "a"))), List.of("a", "a", "a"), 5);
        assertEquals(7, dup.index().uidValidity);
        assertEquals(List.of(1L, 2L, 3L), List.of(dup.uids()[0], dup.uids()[1], dup.uids()[2]));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
