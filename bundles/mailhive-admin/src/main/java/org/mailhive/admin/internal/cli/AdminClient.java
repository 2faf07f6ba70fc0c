package org.mailhive.admin.internal.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code mailhive reload|status|config …|check} against the running server over
 * {@code DATA/run/admin.sock}. Prints the server's answer and exits with the code it sent;
 * exit 1 with "the server is not running" when nobody listens.
 */
public final class AdminClient {

    static final String USAGE = "usage: mailhive [--data DIR] reload | status | config [-d] [-n] [KEY...] | check";
    static final String NOT_RUNNING = "mailhive: the server is not running";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    AdminClient(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new AdminClient(System.out, System.err, System.getenv()).run(args));
    }

    int run(String... args) {
        CliOptions o = CliOptions.parse(args, env);
        if (o.problem != null || o.words.isEmpty()
                || !List.of("reload", "status", "config", "check").contains(o.words.get(0))) {
            err.println("mailhive: " + (o.problem != null ? o.problem : o.words.isEmpty() ? "no command given"
                    : "unknown command " + o.words.get(0)));
            err.println(USAGE);
            return 2;
        }
        Path data = o.dataDir();
        if (data == null) {
            err.println("mailhive: --data DIR is required");
            return 2;
        }
        Path socket = data.resolve("run/admin.sock");
        if (!Files.exists(socket)) {
            err.println(NOT_RUNNING);
            return 1;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                err.println(NOT_RUNNING);
                return 1;
            }
            ByteBuffer req = ByteBuffer.wrap((String.join("\t", o.words) + "\n").getBytes(StandardCharsets.UTF_8));
            while (req.hasRemaining()) ch.write(req);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("exit ")) {
                    try {
                        return Integer.parseInt(line.substring(5).trim());
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
                out.println(line.startsWith(" exit ") ? line.substring(1) : line);
            }
            err.println("mailhive: the server closed the connection without an answer");
            return 1;
        } catch (IOException e) {
            err.println("mailhive: " + socket + ": " + e.getMessage());
            return 1;
        }
    }
}
