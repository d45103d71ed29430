package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;

/**
 * The one {@code Transfer-Encoding} luagate forwards: exactly {@code chunked} (any case, blanks
 * around it), which it de-chunks and re-chunks itself. HAProxy 2.6.12 refuses every other list,
 * even those Netty's decoder accepts ({@code gzip, chunked}, {@code , chunked},
 * {@code chunked, chunked}): a server could read them differently.
 */
final class TransferCodings {

    /** No Transfer-Encoding, or a lone {@code chunked}. */
    static final int CHUNKED_OR_NONE = 0;
    /** Codings the proxy would have to undo before a final {@code chunked} (HAProxy's 422). */
    static final int CODED_THEN_CHUNKED = 422;
    /** Anything else: {@code chunked} twice or not last, unknown or empty codings (HAProxy's 400). */
    static final int INVALID = 400;

    private TransferCodings() {
    }

    /** Judges every Transfer-Encoding line of a head, taken as one comma-separated list. */
    static int judge(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // Most requests: one look-up instead of the two iterators below.
            return CHUNKED_OR_NONE;
        }
        Iterator<String> values = headers.valueStringIterator(HttpHeaderNames.TRANSFER_ENCODING);
        int elements = 0;
        int chunked = 0;
        boolean lastChunked = false;
        while (values.hasNext()) {
            String value = values.next();
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                lastChunked = isChunked(value, start, end);
                elements++;
                chunked += lastChunked ? 1 : 0;
                start = end + 1;
            }
        }
        if (elements == 0 || elements == 1 && lastChunked) {
            return CHUNKED_OR_NONE;
        }
        return lastChunked && chunked == 1 ? CODED_THEN_CHUNKED : INVALID;
    }

    private static boolean isChunked(String value, int start, int end) {
        while (start < end && isBlank(value.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(value.charAt(end - 1))) {
            end--;
        }
        return end - start == 7 && value.regionMatches(true, start, "chunked", 0, 7);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
