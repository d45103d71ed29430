package io.luagate.spi.stream;

/** Receives the outcome of {@link Stream#connect}, on the stream's event loop. */
public interface ConnectListener {

    /** An upstream connection is ready; the listener now owns it until it releases it. */
    void connected(UpstreamConnection connection);

    /**
     * No connection could be made: no server was up, or every attempt failed. The stream's
     * termination state is already set; HTTP answers 503.
     */
    void failed(Throwable cause);
}
