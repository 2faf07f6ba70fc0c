package org.mailhive.admin.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads the .cfg files of a configuration directory the way FileInstall names and parses them. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /** Every {@code *.cfg} of the directory, sorted by file name. */
    public static List<ConfigEntry> read(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cfg")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) files.add(p);
            }
        }
        Collections.sort(files);
        List<ConfigEntry> out = new ArrayList<>();
        for (Path f : files) out.add(read(f, f.getFileName().toString()));
        return out;
    }

    public static ConfigEntry read(Path file, String relativeName) throws IOException {
        String[] pid = parsePid(file.getFileName().toString());
        return new ConfigEntry(pid[0], pid[1], relativeName, load(file));
    }

    /**
     * FileInstall's rule: {@code PID.cfg}, or {@code FACTORYPID-NAME.cfg} / {@code FACTORYPID~NAME.cfg}
     * split at the first {@code ~}, else the first {@code -}.
     */
    public static String[] parsePid(String fileName) {
        String base = fileName.endsWith(".cfg") ? fileName.substring(0, fileName.length() - 4) : fileName;
        int n = base.indexOf('~');
        if (n < 0) n = base.indexOf('-');
        if (n > 0) return new String[] {base.substring(0, n), base.substring(n + 1)};
        return new String[] {base, null};
    }

    /** The keys of a .cfg in file order, with java.util.Properties syntax, values trimmed. */
    public static Map<String, String> load(Path file) throws IOException {
        Map<String, String> ordered = new LinkedHashMap<>();
        Properties p = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.put(key.toString(), value.toString().trim());
                return super.put(key, value);
            }
        };
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return ordered;
    }

    /** The values after {@code ${name}} substitution, as FileInstall hands them to ConfigurationAdmin. */
    public static Map<String, String> substituted(Map<String, String> raw, Substitution subst) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, subst.apply(v, raw)));
        return out;
    }
}
