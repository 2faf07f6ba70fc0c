package org.mailhive.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a set of files contains, cheaply comparable. The content digest is used rather than
 * mtime and size: a certificate renewed in place often has exactly the same size, and two
 * writes within one kernel clock tick share an mtime. The files are a few kilobytes.
 */
record FileStamp(List<String> entries) {

    static FileStamp of(List<Path> files) {
        List<String> entries = new ArrayList<>();
        for (Path f : files) entries.add(f + "=" + digest(f));
        return new FileStamp(List.copyOf(entries));
    }

    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable:" + e.getClass().getSimpleName();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
