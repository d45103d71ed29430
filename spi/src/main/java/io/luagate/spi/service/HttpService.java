package io.luagate.spi.service;

/**
 * A service that answers HTTP requests in place of a server, chosen by
 * {@code http-request use-service <name>} (HAProxy's applets: its built-in
 * {@code prometheus-exporter}, Lua services...).
 */
@FunctionalInterface
public interface HttpService {

    /**
     * Starts answering {@code exchange}. Runs on the stream's event loop and must not block: a
     * service that needs time keeps the exchange and completes it later, on that loop.
     */
    void serve(HttpServiceExchange exchange);

    /**
     * Whether the response's status line carries the request's HTTP version ({@code HTTP/1.0} to an
     * HTTP/1.0 client, with no {@code Connection: close} then), as HAProxy's Lua services do; else
     * {@code HTTP/1.1}, as its other applets.
     */
    default boolean answersInRequestVersion() {
        return false;
    }

    /**
     * Whether the frontend's {@code http-response} rules see this service's response, as they see
     * those of HAProxy's {@code use-service} applets. HAProxy's stats page is answered without them
     * (its {@code http-after-response} rules still run): the stats page service says {@code false}.
     */
    default boolean takesResponseRules() {
        return true;
    }
}
