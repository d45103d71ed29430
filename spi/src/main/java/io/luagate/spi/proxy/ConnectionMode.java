package io.luagate.spi.proxy;

/**
 * HAProxy's HTTP connection mode of a proxy ({@code option http-keep-alive}, {@code option
 * http-server-close}, {@code option httpclose}). The server connection is closed after each
 * response (the request tells the server {@code Connection: close}) when the frontend or the
 * backend is not {@link #KEEP_ALIVE}; the client connection is closed after each response when the
 * frontend is {@link #CLOSE} (a backend's {@code httpclose} closes only the server side, as in
 * HAProxy 2.6, whose client-side multiplexer reads the frontend's option).
 */
public enum ConnectionMode {
    KEEP_ALIVE, SERVER_CLOSE, CLOSE
}
