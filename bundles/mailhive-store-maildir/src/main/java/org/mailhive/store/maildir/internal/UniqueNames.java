package org.mailhive.store.maildir.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dovecot-style Maildir names: {@code <secs>.M<micros>P<pid>Q<counter>.<host>}, with
 * {@code ,S=<size>,W=<crlf size>} added once the sizes are known. The counter makes names unique within
 * this process even when two appends fall in the same microsecond.
 */
final class UniqueNames {

    private final String host;
    private final long pid;
    private final AtomicLong counter = new AtomicLong();

    UniqueNames(String hostname, long pid) {
        this.host = escapeHost(hostname);
        this.pid = pid;
    }

    static UniqueNames forThisProcess() {
        return new UniqueNames(localHostname(), ProcessHandle.current().pid());
    }

    String next(Instant now) {
        long micros = now.getNano() / 1000;
        return now.getEpochSecond() + ".M" + micros + "P" + pid + "Q" + counter.incrementAndGet() + "." + host;
    }

    /** {@code ,S=} bytes on disk, {@code ,W=} bytes with CRLF line endings (what IMAP and POP3 report). */
    static String withSizes(String base, long size, long crlfSize) {
        return base + ",S=" + size + ",W=" + crlfSize;
    }

    /** '/' and ':' would break the file name and the ":2," info part, so Maildir escapes them. */
    static String escapeHost(String hostname) {
        return hostname.replace("/", "\\057").replace(":", "\\072");
    }

    /** gethostname(2): the kernel's name, without a DNS lookup that could block. */
    static String localHostname() {
        Path proc = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(proc)) {
                String h = Files.readString(proc, StandardCharsets.US_ASCII).trim();
                if (!h.isEmpty()) return h;
            }
        } catch (IOException e) {
            // fall through to the JDK's answer
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
