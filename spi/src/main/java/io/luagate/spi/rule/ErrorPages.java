package io.luagate.spi.rule;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.stream.Stream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Error pages. The static part is HAProxy's built-in pages (same status lines, headers, titles
 * and texts; the 400 and 408 pages say {@code connection: close}, and whoever sends a reply that
 * says so closes), built once: answering with one allocates nothing but the response object
 * around it. An instance is one proxy's own pages by status (its {@code errorfile} lines),
 * immutable once built; its {@code http-error} replies, rendered per stream, are
 * {@link Frontend#errorReply}/{@link Backend#errorReply}.
 *
 * <p>Which page a stream answers with is chosen by {@link #forStream}: HAProxy's
 * {@code http_error_message}, the backend's page for the status, else the frontend's, else the
 * built-in one (before a backend is chosen, only the frontend's).
 */
public final class ErrorPages {

    private static final Map<Integer, HttpReply> PAGES = Map.ofEntries(
            page(200, "OK", "Service ready."),
            page(400, "Bad request", "Your browser sent an invalid request."),
            page(401, "Unauthorized", "You need a valid user and password to access this content."),
            page(403, "Forbidden", "Request forbidden by administrative rules."),
            page(404, "Not Found", "The resource could not be found."),
            page(405, "Method Not Allowed", "A request was made of a resource using a request method not supported by that resource"),
            page(407, "Unauthorized", "You need a valid user and password to access this content."),
            page(408, "Request Time-out", "Your browser didn't send a complete request in time."),
            page(410, "Gone", "The resource is no longer available and will not be available again."),
            page(413, "Payload Too Large", "The request entity exceeds the maximum allowed."),
            page(421, "Misdirected Request", "Request sent to a non-authoritative server."),
            page(414, "Request-URI Too Long", "Your browser sent a request line longer than this server accepts."),
            page(422, "Unprocessable Content", "The server cannot process the contained instructions."),
            page(425, "Too Early", "Your browser sent early data."),
            page(429, "Too Many Requests", "You have sent too many requests in a given amount of time."),
            page(431, "Request Header Fields Too Large", "Your browser sent a request head larger than this server accepts."),
            page(500, "Internal Server Error", "An internal server error occurred."),
            page(501, "Not Implemented", "The server does not support the functionality required to fulfill the request."),
            page(502, "Bad Gateway", "The server returned an invalid or incomplete response."),
            page(503, "Service Unavailable", "No server is available to handle this request."),
            page(504, "Gateway Time-out", "The server didn't respond in time."));

    /** The built-in pages, by identity: only these are replaced by a proxy's own. */
    private static final Set<HttpReply> BUILT_IN = Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    static {
        BUILT_IN.addAll(PAGES.values());
    }

    /**
     * The statuses a proxy may have its own page for (HAProxy 2.6's {@code http_err_codes}); any
     * other is refused at load ("status code not handled").
     */
    public static final Set<Integer> CONFIGURABLE = Set.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421,
            422, 425, 429, 500, 501, 502, 503, 504);

    /** A proxy without pages of its own. */
    public static final ErrorPages NONE = new ErrorPages(Map.of());

    private final Map<Integer, HttpReply> own;

    private ErrorPages(Map<Integer, HttpReply> own) {
        this.own = own;
    }

    /** A proxy's own pages, by status (each status one of {@link #CONFIGURABLE}). */
    public static ErrorPages of(Map<Integer, HttpReply> pages) {
        return pages.isEmpty() ? NONE : new ErrorPages(Map.copyOf(pages));
    }

    /** This proxy's page for {@code status}, or {@code null} when it has none of its own. */
    public HttpReply get(int status) {
        return own.get(status);
    }

    private static Map.Entry<Integer, HttpReply> page(int status, String title, String text) {
        HttpReply page = HttpReply.errorPage(status, title, text);
        List<HttpReply.Header> headers = page.headers();
        if (status == 400 || status == 408) {
            // HAProxy's two pages that end the connection say so, between cache-control and content-type.
            headers = new ArrayList<>(headers);
            headers.add(2, new HttpReply.Header("connection", "close"));
        }
        // HAProxy's status line carries the page's own title: "400 Bad request", "408 Request Time-out".
        return Map.entry(status, new HttpReply(status, headers, page.body(), title));
    }

    /**
     * The proxy's own answer with {@code status} for this stream, as HAProxy's
     * {@code http_error_message} chooses it: the chosen backend's {@code http-error} reply or
     * {@code errorfile} page for the status, else the frontend's (before a backend is chosen, only
     * the frontend's), else the built-in page. A proxy with both for one status uses its
     * {@code http-error} (HAProxy: the line written last).
     */
    public static HttpReply forStream(Transaction txn, int status) {
        Stream stream = txn.stream();
        Backend backend = stream.backend();
        if (backend != null) {
            HttpReply own = own(backend.errorReply(status), backend.errorPages(), status, txn);
            if (own != null) {
                return own;
            }
        }
        Frontend frontend = stream.session().frontend();
        HttpReply own = own(frontend.errorReply(status), frontend.errorPages(), status, txn);
        return own != null ? own : forStatus(status);
    }

    private static HttpReply own(ReplyTemplate reply, ErrorPages pages, int status, Transaction txn) {
        return reply != null ? reply.render(txn) : pages != null ? pages.get(status) : null;
    }

    /** Whether HAProxy 2.6 keeps an error message for {@code status} (what {@code http-error} and {@code errorfile} accept). */
    public static boolean haproxyHasPage(int status) {
        return CONFIGURABLE.contains(status);
    }

    /** The built-in page for {@code status}; a generic one for statuses HAProxy has no page for. */
    public static HttpReply forStatus(int status) {
        HttpReply page = PAGES.get(status);
        return page != null ? page : HttpReply.errorPage(status, "Error", "An error occurred.");
    }

    /**
     * The reply a stream sends for {@code reply}: a built-in page ({@link #forStatus}, as every
     * error of a stream, {@code deny} and Lua's {@code act.DENY} use) becomes the backend's own page
     * for its status, else the frontend's; any other reply is sent as it is.
     *
     * @param backend the stream's backend, or {@code null} before one is chosen
     */
    public static HttpReply forStream(HttpReply reply, Backend backend, Frontend frontend) {
        if (!BUILT_IN.contains(reply)) {
            return reply;
        }
        HttpReply own = backend == null ? null : backend.errorPages().get(reply.status());
        if (own == null && frontend != null) {
            own = frontend.errorPages().get(reply.status());
        }
        return own != null ? own : reply;
    }

    /**
     * Whether the frontend's page for {@code status} is an empty file: then the codec's own answers
     * to a request it cannot read (400, 408...) send nothing either, as HAProxy's H1 mux does; any
     * other page of the frontend does not apply to them.
     */
    public static boolean silenced(int status, Frontend frontend) {
        HttpReply own = frontend.errorPages().get(status);
        return own != null && own.silent();
    }
}
