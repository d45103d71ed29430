package io.luagate.plugin.tcp;

/**
 * The analysers of a TCP stream, in the order they run: HAProxy's {@code AN_REQ_*} and
 * {@code AN_RES_*} steps of a stream in {@code mode tcp}. {@link TcpStream#advance()} runs the
 * current one until it waits for an event (more bytes, a timer, a suspended action, the server
 * connection) or finishes and hands over to the next. Where the stream stands also says what it
 * was doing when it ended (HAProxy's {@code sess_set_term_flags}): see {@link TcpStream#terminate}.
 */
enum TcpAnalyser {

    /**
     * The frontend's filters attach, then its {@code tcp-request content} rules run on the client's
     * first bytes, for up to {@code tcp-request inspect-delay} ({@code AN_REQ_INSPECT_FE}).
     */
    INSPECT_REQUEST,

    /**
     * {@code use-backend} rules then {@code default-backend} choose the backend; its filters attach
     * and the request's variables end ({@code AN_REQ_SWITCHING_RULE}).
     */
    SWITCH_BACKEND,

    /** A server connection, with the kernel's retries (the server side from request to established). */
    CONNECT,

    /**
     * The filters' response analysis starts, the request's held bytes go to the server, and the
     * backend's {@code tcp-response content} rules run on the server's first bytes, when it has some,
     * while the client's bytes flow to the server ({@code AN_RES_INSPECT}).
     */
    INSPECT_RESPONSE,

    /**
     * Both connections become the kernel's tunnel: bytes both ways until both directions end (or,
     * after {@code tcp-response content close}, the held response, then the end).
     */
    FORWARD,

    /** A TCP service holds the client connection ({@code use-service}), instead of a backend. */
    SERVICE,

    /** Over: nothing runs any more; a late event only releases what it brings. */
    END
}
