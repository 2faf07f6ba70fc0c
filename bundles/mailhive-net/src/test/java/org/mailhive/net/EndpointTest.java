package org.mailhive.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailhive.net.testing.LineClient;

/** A real endpoint on 127.0.0.1 port 0 with a handler that records what reaches the worker. */
class EndpointTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final ListenerThreads threads = new ListenerThreads("net-test", 4);
    private final List<Endpoint> endpoints = new ArrayList<>();

    /** Records input (text and whether it was secured) and events; may hold the worker on a latch. */
    static class Recorder extends IoHandlerAdapter {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile IoSession session;
        volatile CountDownLatch hold;
        volatile boolean countProcessed;

        @Override
        public void sessionOpened(IoSession s) {
            session = s;
        }

        @Override
        public void messageReceived(IoSession s, Object message) throws Exception {
            if (message instanceof InboundFilter.Inbound in) {
                CountDownLatch h = hold;
                if (h != null) h.await(10, TimeUnit.SECONDS);
                int n = in.buffer().remaining();
                in.deliverTo((b, off, len, secured) -> {
                    synchronized (bytes) {
                        bytes.write(b, off, len);
                    }
                    events.add(secured ? "secured" : "plain");
                });
                if (countProcessed) InboundFilter.processed(s, n);
                onInput(s);
                return;
            }
            events.add(message);
        }

        void onInput(IoSession s) {
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private Endpoint endpoint(InboundFilter inbound, Recorder handler) {
        Endpoint e = new Endpoint("net-test", inbound, threads.workers(), handler);
        endpoints.add(e);
        return e;
    }

    @AfterEach
    void close() {
        endpoints.forEach(Endpoint::close);
        threads.close();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void deliversPlainInputAndThenFiredEventsInOrder() throws Exception {
        Recorder handler = new Recorder();
        Endpoint e = endpoint(InboundFilter.marking(), handler);
        e.bind(ANY_LOOPBACK_PORT);
        int port = e.localAddress().getPort();
        assertNotEquals(0, port);
        assertEquals(InetAddress.getByName("127.0.0.1"), e.localAddress().getAddress());
        assertTrue(e.listensOnPort(port));
        try (LineClient c = new LineClient(port, false, false)) {
            c.send("hello\r\n");
            await(() -> handler.text().equals("hello\r\n"), "the line arrived");
            assertEquals("plain", handler.events.poll());
            InboundFilter.fire(handler.session, "tick");
            assertEquals("tick", handler.events.poll(10, TimeUnit.SECONDS));
            assertEquals(InetAddress.getByName("127.0.0.1"), Sessions.remoteAddress(handler.session));
            assertEquals(InetAddress.getByName("127.0.0.1"), Sessions.localAddress(handler.session));
        }
    }

    @Test
    void rebindToAnotherPortClosesTheOldSocket() throws Exception {
        Endpoint old = endpoint(InboundFilter.marking(), new Recorder());
        old.bind(ANY_LOOPBACK_PORT);
        int oldPort = old.localAddress().getPort();
        Endpoint fresh = endpoint(InboundFilter.marking(), new Recorder());
        assertTrue(fresh.bindReplacing(old, ANY_LOOPBACK_PORT, "test.cfg", "t"));
        int newPort = fresh.localAddress().getPort();
        assertNotEquals(oldPort, newPort);
        assertTrue(accepts(newPort));
        assertFalse(accepts(oldPort), "the old socket is closed");
    }

    @Test
    void rebindOnTheSamePortFreesItFromTheOldSocketFirst() throws Exception {
        Endpoint old = endpoint(InboundFilter.marking(), new Recorder());
        old.bind(ANY_LOOPBACK_PORT);
        int port = old.localAddress().getPort();
        Endpoint fresh = endpoint(InboundFilter.marking(), new Recorder());
        assertTrue(fresh.bindReplacing(old, new InetSocketAddress("127.0.0.1", port), "test.cfg", "t"));
        assertTrue(fresh.listensOnPort(port));
        assertTrue(accepts(port));
    }

    @Test
    void aFailedRebindKeepsTheOldSocketServing() throws Exception {
        Endpoint old = endpoint(InboundFilter.marking(), new Recorder());
        old.bind(ANY_LOOPBACK_PORT);
        int oldPort = old.localAddress().getPort();
        try (ServerSocket foreign = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Endpoint fresh = endpoint(InboundFilter.marking(), new Recorder());
            assertFalse(fresh.bindReplacing(old, new InetSocketAddress("127.0.0.1", foreign.getLocalPort()),
                    "test.cfg", "t"));
            assertTrue(old.listensOnPort(oldPort));
            assertTrue(accepts(oldPort));
        }
    }

    @Test
    void aFirstBindOnABusyPortFails() throws Exception {
        try (ServerSocket foreign = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Endpoint fresh = endpoint(InboundFilter.marking(), new Recorder());
            assertFalse(fresh.bindReplacing(null, new InetSocketAddress("127.0.0.1", foreign.getLocalPort()),
                    "test.cfg", "t"));
            assertEquals(null, fresh.localAddress(), "the failed endpoint is closed");
        }
    }

    @Test
    void theBacklogSuspendsReadingWhileTheWorkerLagsAndResumesWhenItCatchesUp() throws Exception {
        Recorder handler = new Recorder();
        handler.hold = new CountDownLatch(1);
        handler.countProcessed = true;
        Endpoint e = endpoint(InboundFilter.withBacklog(1000, 100), handler);
        e.bind(ANY_LOOPBACK_PORT);
        byte[] block = "x".repeat(4000).getBytes(StandardCharsets.US_ASCII);
        try (LineClient c = new LineClient(e.localAddress().getPort(), false, false)) {
            c.send(block);
            await(() -> e.readSuspendedSessions() == 1, "reading is suspended");
            handler.hold.countDown();
            await(() -> handler.text().length() == block.length, "every byte reached the worker");
            await(() -> e.readSuspendedSessions() == 0, "reading resumed");
            c.send("end");
            await(() -> handler.text().endsWith("end"), "input after the resume arrived");
        }
    }

    @Test
    void withoutBacklogReadingIsNeverSuspended() throws Exception {
        Recorder handler = new Recorder();
        CountDownLatch hold = new CountDownLatch(1);
        handler.hold = hold;
        InboundFilter marking = InboundFilter.marking();
        assertFalse(marking.counting());
        Endpoint e = endpoint(marking, handler);
        e.bind(ANY_LOOPBACK_PORT);
        try (LineClient c = new LineClient(e.localAddress().getPort(), false, false)) {
            c.send(new byte[64_000]);
            await(() -> handler.session != null, "the session opened");
            assertEquals(0, e.readSuspendedSessions());
            hold.countDown();
            await(() -> handler.text().length() == 64_000, "every byte reached the worker");
            assertNotNull(handler.session);
        }
    }
}
