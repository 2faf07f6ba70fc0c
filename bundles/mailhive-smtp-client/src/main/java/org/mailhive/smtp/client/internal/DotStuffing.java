package org.mailhive.smtp.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The message body as DATA sends it (RFC 5321 section 4.5.2): leading dots doubled, ended by CRLF.CRLF. */
final class DotStuffing {

    private DotStuffing() {
    }

    /** Copies {@code in} (CRLF lines, not stuffed) to {@code out} stuffed and terminated, in fixed-size pieces. */
    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16 * 1024];
        boolean lineStart = true;
        int last = -1;
        int n;
        while ((n = in.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (lineStart && b == '.') {
                    out.write(buf, from, i - from);
                    out.write('.');
                    from = i;
                }
                lineStart = b == '\n';
            }
            out.write(buf, from, n - from);
            last = buf[n - 1];
        }
        // a body without a final line break still needs one before the dot
        if (last != -1 && last != '\n') {
            out.write('\r');
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }
}
