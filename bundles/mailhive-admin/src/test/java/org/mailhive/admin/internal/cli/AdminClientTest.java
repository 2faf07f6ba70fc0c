package org.mailhive.admin.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailhive.admin.internal.AdminServer;
import org.mailhive.admin.internal.Answer;

class AdminClientTest {

    @TempDir
    Path data;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new AdminClient(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
    }

    @Test
    void noSocketMeansTheServerIsNotRunning() {
        assertEquals(1, run(Map.of(), "reload", "--data", data.toString()));
        assertEquals("mailhive: the server is not running\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStaleSocketMeansTheServerIsNotRunning() throws IOException {
        Path socket = Files.createDirectories(data.resolve("run")).resolve("admin.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertEquals(1, run(Map.of("MAILHIVE_DATA", data.toString()), "status"));
        assertEquals("mailhive: the server is not running\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheAnswerAndExitsWithItsCode() throws IOException {
        List<List<String>> seen = new ArrayList<>();
        try (AdminServer server = new AdminServer(data.resolve("run/admin.sock"), words -> {
            seen.add(words);
            return words.get(0).equals("status") ? new Answer(List.of("version: 1.0.0", "exit 5"), List.of(), 0)
                    : new Answer(List.of(), List.of("mailhive: nope"), 3);
        })) {
            server.start();
            assertEquals(0, run(Map.of(), "--data=" + data, "status"));
            assertEquals("version: 1.0.0\nexit 5\n", out.toString(StandardCharsets.UTF_8));
            out.reset();
            assertEquals(3, run(Map.of("MAILHIVE_DATA", data.toString()), "config", "-n", "port"));
            assertEquals("mailhive: nope\n", out.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(List.of("status"), List.of("config", "-n", "port")), seen);
        }
    }

    @Test
    void usage() {
        assertEquals(2, run(Map.of(), "--data", data.toString()));
        assertEquals(2, run(Map.of(), "--data", data.toString(), "explode"));
    }
}
