package org.mailhive.bounce.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailException;
import org.mailhive.api.queue.MessageDraft;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.queue.QueueId;

/** A MessageSink that keeps what was committed, and can be told to fail. */
final class FakeSink implements MessageSink {

    record Submitted(QueueId id, Envelope envelope, String text) {
    }

    final List<Submitted> committed = new ArrayList<>();
    int aborted;
    /** Thrown by commit while this is set and the text is longer than {@link #failAbove}. */
    MailException failCommit;
    long failAbove = -1;
    private int next = 0xA0;

    @Override
    public MessageDraft open(Envelope envelope) {
        QueueId id = new QueueId(Integer.toHexString(next++).toUpperCase());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return new MessageDraft() {
            boolean done;

            @Override
            public QueueId id() {
                return id;
            }

            @Override
            public OutputStream content() {
                return buf;
            }

            @Override
            public QueueId commit() throws MailException {
                if (failCommit != null && buf.size() > failAbove) throw failCommit;
                done = true;
                committed.add(new Submitted(id, envelope, buf.toString(StandardCharsets.ISO_8859_1)));
                return id;
            }

            @Override
            public void abort() {
                if (!done) aborted++;
                done = true;
            }
        };
    }

    static ServerIdentity identity(String host, String origin) {
        return new ServerIdentity() {
            @Override
            public String myhostname() {
                return host;
            }

            @Override
            public String mydomain() {
                return origin;
            }

            @Override
            public String myorigin() {
                return origin;
            }

            @Override
            public Set<String> mydestination() {
                return Set.of(host, "localhost");
            }

            @Override
            public boolean isMyDestination(String domain) {
                return mydestination().contains(domain);
            }

            @Override
            public List<String> mynetworks() {
                return List.of("127.0.0.0/8");
            }

            @Override
            public boolean inMynetworks(InetAddress client) {
                return client.isLoopbackAddress();
            }

            @Override
            public String expand(String value) {
                return value;
            }
        };
    }
}
