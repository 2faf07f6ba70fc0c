package org.mailhive.users.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system's own crypt(3) for a system account, through PAM's {@code unix_chkpwd} helper:
 * for the hash schemes Java has no implementation of, yescrypt above all ({@code $y$}, what
 * Debian 12's passwd and chpasswd write). The helper reads the system's shadow itself, so it
 * stands in for that file only ({@link #covers}); it checks another user's password only for
 * root, which system users mode needs anyway. The password goes to it on standard input, never
 * on the command line.
 */
final class SystemCrypt {

    private static final Logger LOG = LoggerFactory.getLogger(SystemCrypt.class);
    static final Path HELPER = Path.of("/usr/sbin/unix_chkpwd");
    static final Path SYSTEM_SHADOW = Path.of("/etc/shadow");
    private static final long TIMEOUT_SECONDS = 10;
    /** Checks at the same time: a client guessing passwords cannot make the server fork without bound. */
    private static final int CONCURRENT = 4;

    private final Path helper;
    private final Path shadow;
    private final Semaphore running = new Semaphore(CONCURRENT);

    SystemCrypt(Path helper, Path shadow) {
        this.helper = helper;
        this.shadow = shadow.toAbsolutePath().normalize();
    }

    static SystemCrypt system() {
        return new SystemCrypt(HELPER, SYSTEM_SHADOW);
    }

    /** Whether the helper can check hashes of this shadow file. */
    boolean covers(Path shadowFile) {
        return shadowFile.toAbsolutePath().normalize().equals(shadow) && Files.isExecutable(helper);
    }

    String helper() {
        return helper.toString();
    }

    /** True only when the helper says the password is the account's; every failure is false. */
    boolean verify(String login, char[] password) {
        // the name comes from passwd; a leading '-' could never be one, and a NUL ends the password
        if (login.isEmpty() || login.startsWith("-") || password.length == 0) return false;
        for (char c : password) {
            if (c == 0) return false;
        }
        try {
            if (!running.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        byte[] secret = null;
        try {
            Process p = new ProcessBuilder(helper.toString(), login, "nonull")
                    .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
            secret = terminated(password);
            try (OutputStream in = p.getOutputStream()) {
                in.write(secret);
            } catch (IOException e) {
                // it exited without reading: its exit code says why
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("{} did not answer for {} within {} s", helper, login, TIMEOUT_SECONDS);
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("cannot run {} for {}: {}", helper, login, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (secret != null) Arrays.fill(secret, (byte) 0);
            running.release();
        }
    }

    /** UTF-8 and a NUL, as the helper reads it. */
    private static byte[] terminated(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[encoded.remaining() + 1];
        encoded.get(out, 0, out.length - 1);
        if (encoded.hasArray()) Arrays.fill(encoded.array(), (byte) 0);
        return out;
    }
}
