package io.luagate.kernel.metrics;

import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.HttpServiceExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HAProxy's built-in {@code prometheus-exporter} service:
 * {@code http-request use-service prometheus-exporter if { path /metrics }}.
 */
public final class PrometheusExporter implements HttpService {

    /** The name rules use. */
    public static final String NAME = "prometheus-exporter";

    private static final List<HttpReply.Header> HEADERS =
            List.of(new HttpReply.Header("content-type", "text/plain; version=0.0.4; charset=utf-8"));

    private final Metrics metrics;

    public PrometheusExporter(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void serve(HttpServiceExchange exchange) {
        exchange.reply(new HttpReply(200, HEADERS, metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
