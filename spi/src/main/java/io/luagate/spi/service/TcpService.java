package io.luagate.spi.service;

/** A service that talks to a TCP client in place of a server ({@code tcp-request content use-service <name>}). */
@FunctionalInterface
public interface TcpService {

    /** Starts serving {@code exchange}; runs on the connection's event loop and must not block. */
    void serve(TcpServiceExchange exchange);
}
