package io.luagate.spi.rule;

/**
 * The compiled rule lists of a stream's proxies, as a codec names them to the {@link RuleEngine}:
 * the codec says which list runs, the kernel knows what it holds. A backend's list is empty until
 * the stream has a backend.
 */
public enum RuleList {
    /**
     * The frontend's {@code monitor-uri} check with its {@code monitor-fail} conditions, run on
     * every request before anything else: one action that answers the monitor's URI (and says
     * STOP), or none without {@code monitor-uri}.
     */
    FRONTEND_MONITOR(ProxySide.FRONTEND),
    /** The frontend's {@code http-request} rules. */
    FRONTEND_HTTP_REQUEST(ProxySide.FRONTEND),
    /**
     * The frontend's {@code stats-uri} check, run after its {@code http-request} rules when none of
     * them answered or chose a service (and also after an {@code allow}), before the backend is
     * chosen, as HAProxy's {@code http_process_req_common} does: one action that hands a GET, HEAD
     * or POST for the stats URI to the stats page (and says STOP), or none without {@code stats-uri}.
     */
    FRONTEND_STATS(ProxySide.FRONTEND),
    /** The backend's {@code http-request} rules, run after the frontend's. */
    BACKEND_HTTP_REQUEST(ProxySide.BACKEND),
    /** The backend's {@code http-response} rules, run before the frontend's. */
    BACKEND_HTTP_RESPONSE(ProxySide.BACKEND),
    /** The frontend's {@code http-response} rules. */
    FRONTEND_HTTP_RESPONSE(ProxySide.FRONTEND),
    /** The backend's {@code http-after-response} rules, run before the frontend's on every response. */
    BACKEND_HTTP_AFTER_RESPONSE(ProxySide.BACKEND),
    /** The frontend's {@code http-after-response} rules. */
    FRONTEND_HTTP_AFTER_RESPONSE(ProxySide.FRONTEND),
    /** The frontend's {@code tcp-request content} rules. */
    FRONTEND_TCP_REQUEST_CONTENT(ProxySide.FRONTEND),
    /** The backend's {@code tcp-response content} rules, run on the server's first bytes. */
    BACKEND_TCP_RESPONSE_CONTENT(ProxySide.BACKEND);

    private final ProxySide side;

    RuleList(ProxySide side) {
        this.side = side;
    }

    /** The proxy that declares this list. */
    public ProxySide side() {
        return side;
    }
}
