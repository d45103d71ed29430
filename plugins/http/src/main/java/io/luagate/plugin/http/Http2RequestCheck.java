package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.collection.IntObjectHashMap;

/**
 * What RFC 9113 section 8.1 to 8.3 require of a request, checked on the connection as its frames
 * arrive (Netty's decoder checks frames, not messages; its validation of fields is off), whether
 * or not the stream's exchange still reads: every field section's fields are sound
 * ({@link Http2RequestFields}: names, values, pseudo-headers, connection-specific fields, te); the
 * request's HEADERS carry {@code :method}, and but for CONNECT {@code :scheme} and a non-empty
 * {@code :path}; a second HEADERS frame is the trailer section, ends the stream and has no
 * pseudo-header; the DATA frames add up to {@code content-length} when there is one. A request
 * that breaks one of these is malformed: {@link Http2StreamDispatch} resets its stream with
 * PROTOCOL_ERROR and the offending frame goes no further, as HAProxy does.
 *
 * <p>Asked by the {@link Http2StreamDispatch} for each HEADERS and DATA frame, on the connection's
 * loop; it keeps a small record per stream whose request is still coming, dropped when the
 * request ends or the stream closes, and none for a request in one HEADERS frame (most GETs).
 */
final class Http2RequestCheck {

    /** One request still coming. */
    private static final class Request {
        boolean headersSeen;
        /** The announced length, or -1. */
        long contentLength = -1;
        long received;
    }

    /** By stream id (no boxed key per frame). */
    private final IntObjectHashMap<Request> open = new IntObjectHashMap<>();

    /** What is wrong with a HEADERS frame of stream {@code id}, or {@code null}. */
    String headers(int id, Http2Headers headers, boolean endStream) {
        Request request = open.get(id);
        if (request == null) {
            request = new Request();
            if (!endStream) {
                open.put(id, request);
            }
        }
        String problem = headers(request, headers, endStream);
        if (problem != null || endStream) {
            open.remove(id);
        }
        return problem;
    }

    /** What is wrong with a DATA frame of {@code bytes} on stream {@code id}, or {@code null}. */
    String data(int id, int bytes, boolean endStream) {
        Request request = open.get(id);
        if (request == null) {
            request = new Request();
            if (!endStream) {
                open.put(id, request);
            }
        }
        String problem = data(request, bytes, endStream);
        if (problem != null || endStream) {
            open.remove(id);
        }
        return problem;
    }

    /** The client sends no more on stream {@code id} (it ended or reset it, or the stream closed). */
    void ended(int id) {
        open.remove(id);
    }

    private static String headers(Request request, Http2Headers headers, boolean endStream) {
        Http2RequestFields fields = Http2RequestFields.of(headers);
        String problem = fields.problem();
        if (problem != null) {
            return problem;
        }
        if (request.headersSeen) {
            if (!endStream) {
                return "a second HEADERS frame that does not end the stream";
            }
            if (fields.hasPseudoHeaders()) {
                return "a pseudo-header in the trailers";
            }
            return lengthAtEnd(request);
        }
        request.headersSeen = true;
        problem = fields.missingPseudoHeader();
        if (problem != null) {
            return problem;
        }
        CharSequence length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                request.contentLength = Long.parseLong(length.toString());
            } catch (NumberFormatException e) {
                return "a content-length that is not a number";
            }
        }
        return endStream ? lengthAtEnd(request) : null;
    }

    private static String data(Request request, int bytes, boolean endStream) {
        request.received += bytes;
        if (request.contentLength >= 0 && request.received > request.contentLength) {
            return "more DATA than content-length";
        }
        return endStream ? lengthAtEnd(request) : null;
    }

    private static String lengthAtEnd(Request request) {
        return request.contentLength >= 0 && request.received != request.contentLength ? "less DATA than content-length" : null;
    }
}
