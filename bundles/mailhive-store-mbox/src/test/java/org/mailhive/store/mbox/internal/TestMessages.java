package org.mailhive.store.mbox.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.store.MailboxLocation;

final class TestMessages {

    static final Instant DATE = Instant.parse("2026-11-24T05:13:52Z");

    private TestMessages() {
    }

    static MboxStore store() {
        return new MboxStore(new MboxRegistry(), ZoneOffset.UTC, Clock.fixed(DATE, ZoneOffset.UTC));
    }

    static MailboxLocation location(java.nio.file.Path dir) {
        return MailboxLocation.parse("mbox:" + dir.resolve("mail") + ":INBOX=" + dir.resolve("spool/alice"));
    }

    /** Lines joined with CRLF, as messages travel between bundles. */
    static String crlf(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    static MessageContent content(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(b);
            }

            @Override
            public long size() {
                return b.length;
            }
        };
    }

    static MessageContent simple(String subject) {
        return content(crlf("Return-Path: <bob@example.org>", "From: bob@example.org", "Subject: " + subject,
                "Message-ID: <" + subject + "@example.org>", "", "Hello " + subject));
    }

    /** Content whose stream fails after {@code good} bytes, as a broken connection would. */
    static MessageContent failingAfter(String text, int good) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new InputStream() {
                    int pos;

                    @Override
                    public int read() throws IOException {
                        if (pos >= good) throw new IOException("connection lost");
                        return b[pos++] & 0xff;
                    }
                };
            }

            @Override
            public long size() {
                return b.length;
            }
        };
    }

    static String read(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
