package io.luagate.spi.stream;

/** The first character of HAProxy's termination state: why a stream ended. */
public enum TerminationCause {
    NORMAL('-'),
    /** The client aborted (closed or reset). */
    CLIENT_ABORT('C'),
    /** The server aborted, refused the connection, or sent something invalid. */
    SERVER_ABORT('S'),
    /** The proxy itself refused or answered (deny, return, bad request, no backend). */
    PROXY('P'),
    /** A local resource ran out (memory, sockets, maxconn). */
    RESOURCE('R'),
    /** An internal error in the proxy. */
    INTERNAL('I'),
    /** The proxy answered by itself as configured (return, redirect, a service). */
    LOCAL('L'),
    /** The client timeout (or http-request timeout) struck. */
    CLIENT_TIMEOUT('c'),
    /** The server timeout (or connect timeout) struck. */
    SERVER_TIMEOUT('s'),
    /** The process is stopping and closed the stream (after the grace period). */
    KILLED('K');

    private final char code;

    TerminationCause(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }
}
