package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Where the search for the end of an HTTP/1 head (or trailer section) stands across reads, for
 * both decoders: each line ends with CRLF, the section with an empty line, the start line has a
 * limit of its own, and each read searches only the bytes not searched before. Positions are kept
 * relative to the reader index, which does not move until the section is complete.
 */
final class HeadSectionScan {

    /** Checks a header line as soon as its end is found, so a bad line fails before the head ends. */
    interface LineCheck {
        /** @param start the line's first byte; @param end the index of its CR */
        void line(ByteBuf in, int start, int end);
    }

    private final int lineLimit;
    /** Whether it reads requests (else responses): names the errors without two labels per instance, held per connection. */
    private final boolean request;
    /** Where the section's next line starts, relative to the reader index. */
    private int lineStart;
    /** Where the search for the next LF goes on, relative to the reader index. */
    private int scanned;
    private boolean onStartLine = true;

    /**
     * @param lineLimit the longest start line
     * @param request   whether it reads request heads (else response heads), for the errors
     */
    HeadSectionScan(int lineLimit, boolean request) {
        this.lineLimit = lineLimit;
        this.request = request;
    }

    private String startLineName() {
        return request ? "request line" : "status line";
    }

    private String headName() {
        return request ? "request head" : "response head";
    }

    /**
     * Finds the end of the section that begins at the reader index.
     *
     * @param startLine whether its first line is a start line (with its own limit)
     * @param check     what each header line must pass, or null
     * @return the index after the empty line, or -1 while the section is incomplete
     * @throws IllegalArgumentException for a bare LF, or what {@code check} refuses
     * @throws TooLongFrameException     for a start line or a section over its limit
     */
    int end(ByteBuf in, boolean startLine, int limit, LineCheck check) {
        int r = in.readerIndex();
        int w = in.writerIndex();
        int searchEnd = (int) Math.min(w, (long) r + limit);
        int i = r + scanned;
        while (true) {
            int lf = i < searchEnd ? in.indexOf(i, searchEnd, HttpChars.LF) : -1;
            int start = r + lineStart;
            if (lf < 0) {
                scanned = Math.max(searchEnd, i) - r;
                // A start line that fills the head's limit is too long itself.
                if (startLine && onStartLine && (w - start > lineLimit + 1 || w - r >= limit)) {
                    throw new TooLongHttpLineException("a " + startLineName() + " longer than " + lineLimit + " bytes");
                }
                if (w - r >= limit) {
                    throw new TooLongHttpHeaderException("a " + headName() + " larger than " + limit + " bytes");
                }
                return -1;
            }
            if (lf == start || in.getByte(lf - 1) != HttpChars.CR) {
                throw new IllegalArgumentException("a line ended by a bare LF");
            }
            int length = lf - 1 - start;
            lineStart = lf + 1 - r;
            scanned = lineStart;
            if (startLine && onStartLine) {
                onStartLine = false;
                if (length > lineLimit) {
                    throw new TooLongHttpLineException("a " + startLineName() + " longer than " + lineLimit + " bytes");
                }
            } else if (length == 0) {
                return lf + 1;
            } else if (check != null) {
                check.line(in, start, lf - 1);
            }
            i = lf + 1;
        }
    }

    /** Whether nothing of the section has been searched yet. */
    boolean atStart() {
        return lineStart == 0;
    }

    /** Whether the start line has ended (a close now would cut a head). */
    boolean pastStartLine() {
        return !onStartLine;
    }

    void reset() {
        lineStart = 0;
        scanned = 0;
        onStartLine = true;
    }
}
