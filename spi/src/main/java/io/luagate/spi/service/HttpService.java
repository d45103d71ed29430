package io.luagate.spi.service;

import io.luagate.spi.rule.Transaction;

/**
 * A service that answers an HTTP request in place of a server, chosen by
 * {@code http-request use-service <name>} (HAProxy's applets: its built-in
 * {@code prometheus-exporter}, Lua services...).
 */
@FunctionalInterface
public interface HttpService {

    /**
     * Answers {@code txn}, with {@link Transaction#reply}. Runs on the stream's event loop: it must
     * not block.
     */
    void serve(Transaction txn);
}
