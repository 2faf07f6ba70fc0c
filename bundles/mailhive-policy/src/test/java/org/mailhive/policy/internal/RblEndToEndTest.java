package org.mailhive.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailhive.api.smtp.Verdict;
import org.mailhive.dns.internal.DnsResolverService;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** reject_rbl_client through the real resolver bundle against a one-zone DNSBL on 127.0.0.1. */
class RblEndToEndTest {

    private DatagramSocket socket;
    private Thread thread;
    private DnsResolverService dns;

    @BeforeEach
    void start() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dnsbl");
        thread.setDaemon(true);
        thread.start();
        dns = new DnsResolverService();
        dns.configure(Map.of("nameservers", "127.0.0.1:" + socket.getLocalPort(), "dns_timeout", "3s"));
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
        socket.close();
        thread.join(5000);
    }

    /** Lists exactly 192.0.2.99 and 2001:db8::99 in bl.test; everything else is NXDOMAIN. */
    private void serve() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                Name n = question.getName();
                boolean listed = n.equals(Name.fromString("99.2.0.192.bl.test."))
                        || n.equals(Name.fromString(
                                "9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test."));
                if (!listed) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (question.getType() == Type.A) {
                    r.addRecord(new ARecord(n, DClass.IN, 60, InetAddress.getByName("127.0.0.3")), Section.ANSWER);
                } else if (question.getType() == Type.TXT) {
                    r.addRecord(new TXTRecord(n, DClass.IN, 60, "spam source"), Section.ANSWER);
                }
                byte[] wire = r.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    @Test
    void listedClientsAreRejectedAndOthersPass() {
        RejectRblClient check = new RejectRblClient(dns, DnsAnswer.WAIT);
        Verdict v4 = check.onRecipient(Fakes.client("192.0.2.99", null), Fakes.rcpt("<alice@localhost>"), "bl.test");
        assertEquals("554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using bl.test; spam source",
                v4.reply().summary());
        Verdict v6 = check.onRecipient(Fakes.client("2001:db8::99", null), Fakes.rcpt("<alice@localhost>"), "bl.test");
        assertEquals("554 5.7.1 Service unavailable; Client host [2001:db8::99] blocked using bl.test; spam source",
                v6.reply().summary());
        assertEquals(Verdict.DUNNO,
                check.onRecipient(Fakes.client("192.0.2.98", null), Fakes.rcpt("<alice@localhost>"), "bl.test"));
        assertEquals(Verdict.DUNNO, check.onRecipient(Fakes.client("192.0.2.99", null), Fakes.rcpt("<alice@localhost>"),
                "bl.test=127.0.0.2"));
    }
}
