package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;

/**
 * Reads a server's response head as raw bytes before Netty decodes it, for what Netty's response
 * decoder would silently repair: it cuts a header name at its first space ({@code Bad Header: x}
 * becomes {@code Bad: x}) and accepts any case of {@code HTTP/}. HAProxy 2.6.12 answers 502 to
 * both, and to more header lines than {@code tune.http.maxhdr} allows. Everything else (line
 * endings, folding, sizes, values) is left to the decoder.
 */
final class ResponseHeadScan {

    /** The head is not complete in the buffer yet. */
    static final int INCOMPLETE = -1;
    /** Nothing here for this scan to refuse. */
    static final int ACCEPTED = 0;
    /** The server's head must not be read as a response. */
    static final int REFUSED = 1;

    private static final byte CR = HttpChars.CR;
    private static final byte LF = HttpChars.LF;
    private static final byte[] HTTP = {'H', 'T', 'T', 'P', '/'};

    private ResponseHeadScan() {
    }

    /**
     * Scans the head that starts at the buffer's reader index.
     *
     * @param maxHeaders {@code tune.http.maxhdr}: at most one header line fewer is accepted
     * @param limit      beyond this many bytes the decoder's own size limits answer
     */
    static int scan(ByteBuf in, int maxHeaders, int limit) {
        int start = in.readerIndex();
        int end = Math.min(in.writerIndex(), start + limit);
        int i = start;
        while (i < end && (in.getByte(i) == CR || in.getByte(i) == LF)) {
            i++;
        }
        for (int k = 0; k < HTTP.length; k++, i++) {
            if (i >= end) {
                return more(in, end);
            }
            if (in.getByte(i) != HTTP[k]) {
                return REFUSED;
            }
        }
        int lineEnd = in.indexOf(i, end, LF);
        if (lineEnd < 0) {
            return more(in, end);
        }
        int headers = 0;
        i = lineEnd + 1;
        while (true) {
            if (i >= end) {
                return more(in, end);
            }
            byte first = in.getByte(i);
            if (first == LF || first == CR) {
                // The empty line that ends the head (the decoder judges a bare CR or LF).
                return ACCEPTED;
            }
            lineEnd = in.indexOf(i, end, LF);
            if (lineEnd < 0) {
                return more(in, end);
            }
            if (first == ' ' || first == '\t') {
                // obs-fold continues the previous line, and counts with it; there must be one.
                if (headers == 0) {
                    return REFUSED;
                }
            } else {
                int j = i;
                while (j < lineEnd && HttpChars.isToken(in.getByte(j))) {
                    j++;
                }
                if (j == i || in.getByte(j) != ':' || ++headers >= maxHeaders) {
                    return REFUSED;
                }
            }
            i = lineEnd + 1;
        }
    }

    /** Waits for more of a head still within the limit; past it the decoder refuses the head itself. */
    private static int more(ByteBuf in, int end) {
        return end < in.writerIndex() ? ACCEPTED : INCOMPLETE;
    }
}
