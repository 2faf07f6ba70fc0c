package org.mailhive.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {

    @TempDir
    Path tmp;
    AdminServer server;
    final List<List<String>> configCalls = new ArrayList<>();

    final AdminCommands.Actions actions = new AdminCommands.Actions() {
        @Override
        public Answer reload() {
            return new Answer(List.of("reload: changed org.mailhive.core"), List.of(), 0);
        }

        @Override
        public List<String> status() {
            return List.of("version: 9.9.9", "bundles: 3 active of 4", "exit 0 looks like the end");
        }

        @Override
        public Answer config(List<String> args) {
            configCalls.add(args);
            return new Answer(List.of("myhostname = a"), List.of(), 0);
        }

        @Override
        public Answer check() {
            return new Answer(List.of("error: x.cfg: port: 1 is wrong"), List.of(), 1);
        }
    };

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    private Path start() throws IOException {
        Path socket = tmp.resolve("run/admin.sock");
        server = new AdminServer(socket, new AdminCommands(actions));
        server.start();
        return socket;
    }

    static List<String> request(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) ch.write(b);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String l;
            while ((l = in.readLine()) != null) lines.add(l);
            return lines;
        }
    }

    static List<String> request(Path socket, String line) throws IOException {
        return request(socket, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statusRoundTripOverARealUnixSocket() throws IOException {
        Path socket = start();
        assertEquals(List.of("version: 9.9.9", "bundles: 3 active of 4", " exit 0 looks like the end", "exit 0"),
                request(socket, "status"));
    }

    @Test
    void onlyTheOwnerCanReachTheSocket() throws IOException {
        Path socket = start();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void unknownCommandExitsTwo() throws IOException {
        Path socket = start();
        List<String> a = request(socket, "frobnicate");
        assertEquals("mailhive: unknown command \"frobnicate\"", a.get(0));
        assertEquals("exit 2", a.get(a.size() - 1));
        assertEquals("exit 2", request(socket, "").get(1));
    }

    @Test
    void wordsAreTabSeparatedAndReloadAndCheckAnswer() throws IOException {
        Path socket = start();
        assertEquals(List.of("myhostname = a", "exit 0"), request(socket, "config\t-n\tmy host"));
        assertEquals(List.of(List.of("-n", "my host")), configCalls);
        assertEquals(List.of("reload: changed org.mailhive.core", "exit 0"), request(socket, "reload\r"));
        assertEquals(List.of("error: x.cfg: port: 1 is wrong", "exit 1"), request(socket, "check"));
        assertEquals("exit 2", request(socket, "reload\tnow").get(2));
    }

    @Test
    void anOversizedRequestIsRefused() throws IOException {
        Path socket = start();
        byte[] big = new byte[AdminServer.MAX_REQUEST + 100];
        java.util.Arrays.fill(big, (byte) 'a');
        List<String> a = request(socket, big);
        assertEquals(List.of("mailhive: request longer than 8192 bytes", "exit 2"), a);
    }

    @Test
    void staleSocketIsReplacedAndTheFileRemovedOnClose() throws IOException {
        Path socket = tmp.resolve("run/admin.sock");
        Files.createDirectories(socket.getParent());
        // a socket file nobody listens on, as a killed server leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        start();
        assertEquals("exit 0", request(socket, "status").get(3));
        server.close();
        server = null;
        assertFalse(Files.exists(socket));
    }

    @Test
    void aSecondServerDoesNotStealTheSocket() throws IOException {
        Path socket = start();
        AdminServer second = new AdminServer(socket, new AdminCommands(actions));
        IOException e = assertThrows(IOException.class, second::start);
        assertTrue(e.getMessage().endsWith("in use by a running server"), e.getMessage());
        assertEquals("exit 0", request(socket, "status").get(3));
    }

    @Test
    void aFailingCommandAnswersInsteadOfHanging() throws IOException {
        Path socket = tmp.resolve("run/admin.sock");
        server = new AdminServer(socket, words -> {
            throw new IllegalStateException("boom");
        });
        server.start();
        List<String> a = request(socket, "status");
        assertEquals("exit 1", a.get(a.size() - 1));
        assertTrue(a.get(0).contains("boom"));
    }

    @Test
    void reloadThroughTheSocketReachesTheStore() throws IOException {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Fixtures.write(config.resolve("org.mailhive.core.cfg"), "myhostname = b.example.org");
        FakeStore store = new FakeStore();
        store.add("org.mailhive.core", null, Map.of("myhostname", "a.example.org"));
        Reloader reloader = new Reloader(store, new Substitution(k -> null), config, "1.0.0");
        Path socket = tmp.resolve("run/admin.sock");
        server = new AdminServer(socket, words -> words.get(0).equals("reload") ? reloader.reload()
                : Answer.usage("no", "usage"));
        server.start();
        assertEquals(List.of("reload: changed org.mailhive.core", "exit 0"), request(socket, "reload"));
        assertEquals(List.of("org.mailhive.core"), store.updated);
        assertEquals("b.example.org", store.items.get(0).properties().get("myhostname"));
    }
}
