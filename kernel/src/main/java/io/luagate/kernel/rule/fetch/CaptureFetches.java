package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;

/**
 * HAProxy's {@code capture.*} fetches: the capture slots filled by {@code http-request capture}
 * and the request line kept for the log (a frontend's {@code capture-request-line}). Each gives
 * no sample when nothing was captured.
 */
final class CaptureFetches {

    private CaptureFetches() {
    }

    static void register(SampleRegistry registry) {
        registry.fetch("capture.req.hdr", (args, ctx) -> {
            int slot = (int) args.expect(1, 1).integer(0);
            return txn -> txn.stream().capture(false, slot);
        });
        registry.fetch("capture.res.hdr", (args, ctx) -> {
            int slot = (int) args.expect(1, 1).integer(0);
            return txn -> txn.stream().capture(true, slot);
        });
        registry.fetch("capture.req.method", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> requestLineWord(txn, 0);
        });
        registry.fetch("capture.req.uri", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> {
                String uri = requestLineWord(txn, 1);
                return uri == null ? null : path(uri);
            };
        });
        // HAProxy keeps whether the message was HTTP/1.1 as received, and says HTTP/1.0 for anything else.
        registry.fetch("capture.req.ver", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> {
                String line = txn.stream().requestLine();
                if (line == null) {
                    return version(txn.request());
                }
                return line.endsWith(" HTTP/1.1") ? "HTTP/1.1" : "HTTP/1.0";
            };
        });
        registry.fetch("capture.res.ver", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> version(txn.response());
        });
    }

    private static String version(HttpHead head) {
        return head == null ? null : head.version().equals("HTTP/1.1") ? "HTTP/1.1" : "HTTP/1.0";
    }

    /**
     * HAProxy's {@code http_parse_path}: an origin-form URI whole, the part of an absolute URI from
     * the {@code /} after its authority on; none for {@code *}, an authority form, or an absolute
     * URI without a path.
     */
    private static String path(String uri) {
        if (uri.isEmpty() || uri.equals("*")) {
            return null;
        }
        if (uri.charAt(0) == '/') {
            return uri;
        }
        int i = 0;
        if (!Character.isLetter(uri.charAt(0)) || uri.charAt(0) > 0x7F) {
            return null;
        }
        i++;
        while (i < uri.length() && isSchemeChar(uri.charAt(i))) {
            i++;
        }
        if (!uri.startsWith("://", i)) {
            return null;
        }
        int slash = uri.indexOf('/', i + 3);
        return slash < 0 ? null : uri.substring(slash);
    }

    private static boolean isSchemeChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
    }

    /** Word {@code index} of the request line as received (method 0, URI 1): HAProxy reads it from its log copy. */
    private static String requestLineWord(Transaction txn, int index) {
        String line = txn.stream().capturedRequestLine();
        if (line == null) {
            return null;
        }
        int start = 0;
        for (int i = 0; i < index; i++) {
            start = line.indexOf(' ', start) + 1;
            if (start == 0) {
                return null;
            }
        }
        int end = line.indexOf(' ', start);
        return line.substring(start, end < 0 ? line.length() : end);
    }
}
