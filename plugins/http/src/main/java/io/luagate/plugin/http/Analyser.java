package io.luagate.plugin.http;

/**
 * The steps of one HTTP exchange, in the order it meets them (HAProxy's {@code AN_REQ_*} and
 * {@code AN_RES_*} analysers, Pingora's phases). {@link HttpExchange} advances through them in one
 * loop; a step that waits (for a rule action, a filter, the body, the server) is resumed by the
 * event it waits for. A proxy answer jumps to {@link #END}; a service takes the place of
 * {@link #CONNECT} and {@link #FORWARD}. The README's phase chart draws this list.
 */
enum Analyser {
    /** The request head arrived: its line is noted, CONNECT refused, the frontend's filters attached. */
    REQUEST_HEAD(true),
    /** {@code http-buffer-request} of the frontend: the rules wait for the body (or tune.bufsize of it). */
    FRONTEND_BUFFER(true),
    /** The frontend's {@code http-request} rules. */
    FRONTEND_RULES(true),
    /** {@code use-backend} / {@code default-backend}; the backend's filters attached. */
    BACKEND_CHOICE(true),
    /** {@code http-buffer-request} of the backend. */
    BACKEND_BUFFER(true),
    /** The backend's {@code http-request} rules. */
    BACKEND_RULES(true),
    /** The head is rewritten for the server and the filters see it ({@code http_headers}). */
    REQUEST_FILTERS(true),
    /** A server connection is asked for (the request's variables end here). */
    CONNECT(false),
    /** The request head and body go to the server; the response head is awaited. */
    FORWARD(false),
    /** A service ({@code use-service}) answers instead of a server. */
    SERVICE(true),
    /** The final response head arrived (a 1xx is forwarded, a 101 becomes a tunnel); the response's filters start. */
    RESPONSE_HEAD(false),
    /** The backend's, then the frontend's {@code http-response} rules. */
    RESPONSE_RULES(false),
    /** {@code http-after-response} rules, then the filters see the response head. */
    AFTER_RESPONSE(false),
    /** The response head is out; the body streams (with the rest of the request's). */
    BODY(false),
    /** Answered, ended, or turned into a tunnel. */
    END(false);

    private final boolean requestSide;

    Analyser(boolean requestSide) {
        this.requestSide = requestSide;
    }

    /** The step after this one when it finishes; a service's response goes on as a server's would. */
    Analyser next() {
        return switch (this) {
            case REQUEST_HEAD -> FRONTEND_BUFFER;
            case FRONTEND_BUFFER -> FRONTEND_RULES;
            case FRONTEND_RULES -> BACKEND_CHOICE;
            case BACKEND_CHOICE -> BACKEND_BUFFER;
            case BACKEND_BUFFER -> BACKEND_RULES;
            case BACKEND_RULES -> REQUEST_FILTERS;
            case REQUEST_FILTERS -> CONNECT;
            case CONNECT -> FORWARD;
            case SERVICE, FORWARD -> RESPONSE_HEAD;
            case RESPONSE_HEAD -> RESPONSE_RULES;
            case RESPONSE_RULES -> AFTER_RESPONSE;
            case AFTER_RESPONSE -> BODY;
            case BODY, END -> END;
        };
    }

    /**
     * Whether this step works on the request: a failure in it is logged in phase {@code R}. A
     * service counts as the request's: HAProxy logs what an applet does before its response as {@code R}.
     */
    boolean requestSide() {
        return requestSide;
    }
}
