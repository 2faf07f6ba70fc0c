package org.mailhive.store.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Set;

/**
 * Copies an mbox into a new file, leaving out deleted messages and replacing the meta headers of
 * messages whose flags change. Everything else, including bytes other programs put between
 * messages, is copied as it is.
 */
final class MboxRewriter {

    private MboxRewriter() {
    }

    static void copy(FileChannel in, long size, Snapshot snap, MboxFile.Plan plan, FileChannel out,
            List<Long> removed, List<Snapshot.Message> kept) throws IOException {
        List<Snapshot.Message> msgs = snap.messages();
        long pos = 0;
        long first = msgs.isEmpty() ? size : msgs.get(0).parsed().fromOffset();
        pos = transfer(in, 0, first, out, pos);
        for (int i = 0; i < msgs.size(); i++) {
            Snapshot.Message m = msgs.get(i);
            long regionEnd = i + 1 < msgs.size() ? msgs.get(i + 1).parsed().fromOffset() : size;
            if (plan.delete().contains(m.uid())) {
                removed.add(m.uid());
                continue;
            }
            kept.add(m);
            Set<String> flags = plan.flags().get(m.uid());
            if (flags == null) {
                pos = transfer(in, m.parsed().fromOffset(), regionEnd, out, pos);
            } else {
                pos = withFlags(in, m.parsed(), regionEnd, flags, out, pos);
            }
        }
    }

    private static long withFlags(FileChannel in, ParsedMessage m, long regionEnd, Set<String> flags,
            FileChannel out, long pos) throws IOException {
        pos = transfer(in, m.fromOffset(), m.headerOffset(), out, pos);
        byte[] meta = MboxFormat.metaHeaders(flags, true);
        HeaderFilter headers = new HeaderFilter();
        long rest = m.endOffset();
        boolean endedLine = true;
        try (InputStream region = new ChannelRegionStream(in, m.headerOffset(), m.endOffset())) {
            LineReader r = new LineReader(region, m.headerOffset(), MboxWriter.BUFFER);
            while (r.next()) {
                HeaderFilter.Kind kind = headers.classify(r);
                if (kind == HeaderFilter.Kind.END_OF_HEADERS) {
                    rest = r.offset();
                    break;
                }
                if (kind != HeaderFilter.Kind.META) {
                    pos = write(out, pos, ByteBuffer.wrap(r.buffer(), r.start(), r.length()));
                    endedLine = r.endsLine();
                }
            }
        }
        // a message that is all header and ends without a newline still gets its meta headers on lines of their own
        if (!endedLine) pos = write(out, pos, ByteBuffer.wrap(new byte[] {'\n'}));
        pos = write(out, pos, ByteBuffer.wrap(meta));
        return transfer(in, rest, regionEnd, out, pos);
    }

    private static long transfer(FileChannel in, long from, long to, FileChannel out, long pos) throws IOException {
        long at = from;
        while (at < to) {
            long n = in.transferTo(at, to - at, out.position(pos));
            if (n <= 0) throw new IOException("mbox shrank while being rewritten");
            at += n;
            pos += n;
        }
        return pos;
    }

    private static long write(FileChannel out, long pos, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) pos += out.write(b, pos);
        return pos;
    }
}
