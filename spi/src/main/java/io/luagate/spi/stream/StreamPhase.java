package io.luagate.spi.stream;

/** The second character of HAProxy's termination state: what the stream was doing when it ended. */
public enum StreamPhase {
    NONE('-'),
    /** Waiting for the client's request. */
    REQUEST('R'),
    /** Waiting in a queue for a server slot. */
    QUEUE('Q'),
    /** Connecting to a server. */
    CONNECT('C'),
    /** Waiting for the server's response head. */
    HEADERS('H'),
    /** Forwarding data. */
    DATA('D'),
    /** Held by {@code http-request tarpit} before its answer. */
    TARPIT('T'),
    /** Sending the last data to the client. */
    LAST('L');

    private final char code;

    StreamPhase(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }
}
