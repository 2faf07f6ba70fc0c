package org.mailhive.bounce.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough MIME parsing for the tests: header fields, multipart boundaries, DSN field groups. */
record Mime(Map<String, String> headers, String body) {

    /** Splits at the first empty line; folded header lines are unfolded; names in lower case. */
    static Mime parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end >= 0, "no empty line after the header section");
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') assertEquals('\r', text.charAt(i - 1), "bare LF in the header section");
        }
        return new Mime(fields(text.substring(0, end)), text.substring(end + 4));
    }

    static Map<String, String> fields(String block) {
        Map<String, String> h = new LinkedHashMap<>();
        String last = null;
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) continue;
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                h.put(last, h.get(last) + " " + line.trim());
                continue;
            }
            int colon = line.indexOf(':');
            assertTrue(colon > 0, "not a header field: " + line);
            last = line.substring(0, colon).toLowerCase(Locale.ROOT);
            h.put(last, line.substring(colon + 1).trim());
        }
        return h;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The parts of a multipart body, each as its own Mime. */
    List<Mime> parts() {
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(header("content-type"));
        assertTrue(m.find(), "no boundary parameter");
        String delimiter = "\r\n--" + m.group(1);
        String b = "\r\n" + body;
        int close = b.indexOf(delimiter + "--\r\n");
        assertTrue(close >= 0, "no closing boundary");
        assertEquals(close + delimiter.length() + 4, b.length(), "text after the closing boundary");
        List<Mime> out = new ArrayList<>();
        int at = b.indexOf(delimiter);
        assertTrue(at >= 0);
        while (at < close) {
            int start = at + delimiter.length() + 2;
            int nextAt = b.indexOf(delimiter, start);
            assertTrue(nextAt >= start, "unterminated part");
            String part = b.substring(start, nextAt);
            out.add(part.startsWith("\r\n") ? new Mime(Map.of(), part.substring(2)) : parse(part));
            at = nextAt;
        }
        return out;
    }

    /** A message/delivery-status body: the per-message group, then one group per recipient. */
    List<Map<String, String>> groups() {
        List<Map<String, String>> out = new ArrayList<>();
        for (String g : body.split("\r\n\r\n")) {
            if (!g.isBlank()) out.add(fields(g));
        }
        return out;
    }
}
