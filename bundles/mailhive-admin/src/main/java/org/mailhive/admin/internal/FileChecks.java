package org.mailhive.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The file and directory checks of {@code mailhive check}; each reports under the {@code FILE: KEY} it was given. */
final class FileChecks {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ((?:RSA |EC |ENCRYPTED |DSA )?PRIVATE KEY)-----([A-Za-z0-9+/=\\s:,\\-]*?)-----END \\1-----");
    private static final int S_ISVTX = 01000;

    /** True when the path is a regular file we can open; else an error names why. */
    boolean readableFile(Path p, String where, CheckReport r) {
        if (!Files.exists(p)) {
            r.error(where, p + " does not exist");
            return false;
        }
        if (!Files.isRegularFile(p)) {
            r.error(where, p + " is not a regular file");
            return false;
        }
        // opening is the real test: Files.isReadable answers yes to root for a mode 000 file too
        try (InputStream in = Files.newInputStream(p)) {
            in.read();
            return true;
        } catch (IOException e) {
            r.error(where, p + " is not readable (" + e.getClass().getSimpleName() + ")");
            return false;
        }
    }

    void certificate(Path p, String where, CheckReport r) {
        if (!readableFile(p, where, r)) return;
        try (InputStream in = Files.newInputStream(p)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                r.error(where, p + " holds no certificate");
            }
        } catch (CertificateException | IOException e) {
            r.error(where, p + " is not a PEM certificate: " + e.getMessage());
        }
    }

    void privateKey(Path p, String where, CheckReport r) {
        if (!readableFile(p, where, r)) return;
        try {
            String text = Files.readString(p, StandardCharsets.US_ASCII);
            Matcher m = PEM_KEY.matcher(text);
            if (!m.find()) {
                r.error(where, p + " holds no PEM private key");
            } else if (!m.group(2).contains(":")) {
                // legacy encrypted PEM keys carry Proc-Type headers, which are not base64; those are left to the TLS bundle
                Base64.getMimeDecoder().decode(m.group(2).strip());
            }
        } catch (IllegalArgumentException e) {
            r.error(where, p + " is not a PEM private key: bad base64");
        } catch (IOException e) {
            r.error(where, p + " is not a PEM private key: " + e.getMessage());
        }
        Set<PosixFilePermission> perms = permissions(p);
        if (perms != null && (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ))) {
            r.warning(where, p + " is readable by group or others (mode " + mode(p) + "); chmod 600 it");
        }
    }

    /** The queue and its subdirectories must not be writable by others; maildrop is 1733 on purpose. */
    void queueDirectory(Path queue, String where, CheckReport r) {
        groupWorldWritable(queue, where, r);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(queue, Files::isDirectory)) {
            for (Path d : ds) {
                if (d.getFileName().toString().equals("maildrop")) {
                    Integer mode = unixMode(d);
                    if (mode != null && (mode & 02) != 0 && (mode & S_ISVTX) == 0) {
                        r.warning(where, d + " is world-writable without the sticky bit (mode "
                                + String.format("%04o", mode & 07777) + "; expected 1733)");
                    }
                    continue;
                }
                groupWorldWritable(d, where, r);
            }
        } catch (IOException e) {
            r.error(where, queue + " cannot be listed: " + e.getMessage());
        }
    }

    void notWorldWritable(Path p, String where, CheckReport r) {
        Set<PosixFilePermission> perms = permissions(p);
        if (perms != null && perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            r.warning(where, p + " is world-writable (mode " + mode(p) + ")");
        }
    }

    private void groupWorldWritable(Path d, String where, CheckReport r) {
        Set<PosixFilePermission> perms = permissions(d);
        if (perms != null && (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE))) {
            r.warning(where, d + " is group or world writable (mode " + mode(d) + ")");
        }
    }

    private static Set<PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The full st_mode where the JDK offers the "unix" view (Linux, macOS), for the sticky bit. */
    private static Integer unixMode(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    private static String mode(Path p) {
        Integer m = unixMode(p);
        if (m != null) return String.format("%04o", m & 07777);
        Set<PosixFilePermission> perms = permissions(p);
        int bits = 0;
        if (perms != null) {
            for (PosixFilePermission perm : perms) bits |= 0400 >> perm.ordinal();
        }
        return String.format("%04o", bits);
    }
}
