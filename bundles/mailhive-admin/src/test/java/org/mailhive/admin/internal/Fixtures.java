package org.mailhive.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Real metatype documents copied from the bundles, as a catalogue or as a bundle jar in a directory. */
public final class Fixtures {

    public static final List<String> METATYPES = List.of(
            "org.mailhive.smtp.internal.ListenerConfig.xml",
            "org.mailhive.pop3.internal.ListenerConfig.xml",
            "org.mailhive.core.internal.IdentityConfig.xml",
            "org.mailhive.queue.internal.QueueConfig.xml",
            "org.mailhive.tls.internal.TlsConfig.xml",
            "org.mailhive.aliases.internal.AliasesConfig.xml",
            "org.mailhive.users.internal.UsersConfig.xml");

    private Fixtures() {
    }

    public static InputStream metatype(String name) {
        InputStream in = Fixtures.class.getResourceAsStream("/metatype/" + name);
        if (in == null) throw new IllegalStateException("missing fixture " + name);
        return in;
    }

    public static MetatypeCatalogue catalogue() throws IOException {
        MetatypeCatalogue c = new MetatypeCatalogue();
        for (String n : METATYPES) {
            try (InputStream in = metatype(n)) {
                c.add(in, n);
            }
        }
        return c;
    }

    /** A directory with one jar holding every fixture under OSGI-INF/metatype/, like MAILHIVE_HOME/bundle. */
    public static Path bundleDir(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("bundle"));
        try (OutputStream os = Files.newOutputStream(dir.resolve("mailhive-fixture.jar"));
                JarOutputStream jar = new JarOutputStream(os)) {
            for (String n : METATYPES) {
                jar.putNextEntry(new JarEntry("OSGI-INF/metatype/" + n));
                try (InputStream in = metatype(n)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("OSGI-INF/org.mailhive.Other.xml"));
            jar.write("<component/>".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return dir;
    }

    public static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
