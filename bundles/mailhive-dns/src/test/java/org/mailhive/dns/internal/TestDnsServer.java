package org.mailhive.dns.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative-looking DNS server on 127.0.0.1 (UDP, ephemeral port) answering from a map,
 * with names that can be made to SERVFAIL or never answer. Negative answers carry an SOA so that
 * dnsjava's cache can keep them.
 */
final class TestDnsServer implements AutoCloseable {

    private static final Name ZONE = name("test.");
    private static final SOARecord SOA = new SOARecord(ZONE, DClass.IN, 3600, name("ns.test."),
            name("hostmaster.test."), 1, 3600, 600, 86400, 300);

    private final DatagramSocket socket;
    private final Thread thread;
    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Map<Name, AtomicInteger> lost = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();

    TestDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code add("example.test", Type.MX, 3600, "10 mx.example.test.")}. */
    TestDnsServer add(String owner, int type, long ttl, String rdata) {
        try {
            records.add(Record.fromString(name(owner), type, DClass.IN, ttl, rdata, Name.root));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    TestDnsServer add(String owner, int type, String rdata) {
        return add(owner, type, 3600, rdata);
    }

    TestDnsServer servfail(String owner) {
        servfail.add(name(owner));
        return this;
    }

    TestDnsServer silent(String owner) {
        silent.add(name(owner));
        return this;
    }

    /** The first {@code n} queries for the name go unanswered, as if lost on the way. */
    TestDnsServer lose(String owner, int n) {
        lost.put(name(owner), new AtomicInteger(n));
        return this;
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    int queries() {
        return queries.get();
    }

    /** Queries received for one name and type, e.g. {@code queries("nowhere.test", Type.MX)}. */
    int queries(String owner, int type) {
        AtomicInteger n = counts.get(key(name(owner), type));
        return n == null ? 0 : n.get();
    }

    private static String key(Name n, int type) {
        return n.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response == null) continue;
                byte[] wire = response.toWire(512);
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        int qtype = question.getType();
        queries.incrementAndGet();
        counts.computeIfAbsent(key(qname, qtype), k -> new AtomicInteger()).incrementAndGet();
        if (silent.contains(qname)) return null;
        AtomicInteger toLose = lost.get(qname);
        if (toLose != null && toLose.getAndDecrement() > 0) return null;
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        if (servfail.contains(qname)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        List<Record> owned = new ArrayList<>();
        for (Record r : records) {
            if (r.getName().equals(qname)) owned.add(r);
        }
        boolean any = false;
        for (Record r : owned) {
            if (r.getType() == qtype || r.getType() == Type.CNAME) {
                response.addRecord(r, Section.ANSWER);
                any = true;
            }
        }
        if (!any) {
            if (owned.isEmpty()) response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(SOA, Section.AUTHORITY);
        }
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
