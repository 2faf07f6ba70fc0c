package org.mailhive.store.maildir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlfInputStreamTest {

    @TempDir
    Path dir;

    /** The conversion spelled out byte by byte: a CR before every LF that has none. */
    private static byte[] expected(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1;
        for (byte c : in) {
            if (c == '\n' && prev != '\r') out.write('\r');
            out.write(c);
            prev = c;
        }
        return out.toByteArray();
    }

    /** Input that trickles in a few bytes per read, as a pipe would, so runs cross buffer refills. */
    private static InputStream trickle(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 5));
            }
        };
    }

    @Test
    void everyReadSizeGivesTheSameBytesAsTheByteByByteConversion() throws IOException {
        Random r = new Random(42);
        byte[] alphabet = {'a', 'b', '\n', '\r', '.', ' '};
        for (int round = 0; round < 50; round++) {
            byte[] in = new byte[r.nextInt(40_000)];
            for (int i = 0; i < in.length; i++) in[i] = alphabet[r.nextInt(alphabet.length)];
            byte[] want = expected(in);
            for (int chunk : new int[] {1, 2, 3, 7, 4096, 70_000}) {
                for (boolean slow : new boolean[] {false, true}) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    try (CrlfInputStream s = new CrlfInputStream(slow ? trickle(in) : new ByteArrayInputStream(in))) {
                        byte[] b = new byte[chunk];
                        int n;
                        while ((n = s.read(b, 0, chunk)) >= 0) got.write(b, 0, n);
                    }
                    assertArrayEquals(want, got.toByteArray(), "round " + round + ", reads of " + chunk);
                }
            }
            Path f = dir.resolve("m" + round);
            Files.write(f, in);
            assertEquals(want.length, CrlfInputStream.countCrlfSize(f));
        }
    }

    @Test
    void singleByteReadsAgree() throws IOException {
        byte[] in = "a\nb\r\nc\r\rd\n\n".getBytes();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (CrlfInputStream s = new CrlfInputStream(new ByteArrayInputStream(in))) {
            int c;
            while ((c = s.read()) >= 0) got.write(c);
        }
        assertArrayEquals(expected(in), got.toByteArray());
    }
}
