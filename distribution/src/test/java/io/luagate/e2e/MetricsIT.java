package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.config.InvalidConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** use-service with HAProxy's built-in prometheus-exporter, counting real traffic. */
class MetricsIT {

    @Test
    void prometheusExporterCountsTrafficPerFrontendBackendAndServer() throws Exception {
        try (TestUpstream up = TestUpstream.with("up", (request, connection, out) -> {
                 TestUpstream.respond(out, request.target().equals("/missing") ? 404 : 200, Map.of(), "x".getBytes());
                 return true;
             });
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"]
                       http-request = [ "use-service prometheus-exporter if { path /metrics }" ]
                       default-backend = be
                     }
                     backends.be { servers { s = "%s" } }
                     """.formatted(up.address()));
             TestClient client = new TestClient(proxy.port("fe"))) {
            for (String path : List.of("/a", "/b", "/c", "/missing")) {
                client.get(path);
            }
            Http.Message scrape = client.get("/metrics");
            assertEquals(200, scrape.status());
            assertTrue(scrape.header("content-type").startsWith("text/plain; version=0.0.4"));
            String text = scrape.bodyText();
            for (String line : List.of(
                    "haproxy_frontend_http_requests_total{proxy=\"fe\"} 4",
                    "haproxy_frontend_http_responses_total{code=\"2xx\",proxy=\"fe\"} 3",
                    "haproxy_frontend_http_responses_total{code=\"4xx\",proxy=\"fe\"} 1",
                    "haproxy_frontend_connections_total{proxy=\"fe\"} 1",
                    "haproxy_backend_http_requests_total{proxy=\"be\"} 4",
                    "haproxy_server_http_responses_total{code=\"2xx\",proxy=\"be\",server=\"s\"} 3",
                    "haproxy_process_current_connections 1",
                    "luagate_access_log_dropped_total 0")) {
                assertTrue(text.lines().anyMatch(l -> l.equals(line) || l.equals(line + ".0")),
                        "missing '" + line + "' in:\n" + text);
            }
        }
    }

    @Test
    void anUnknownServiceIsRefusedAtLoad() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> InProcessProxy.start("""
                frontends.fe { bind = ["127.0.0.1:0"], http-request = [ "use-service lua.nope" ] }
                """).close());
        assertTrue(e.getMessage().contains("(column 13): no HTTP service named 'lua.nope'; known: prometheus-exporter"),
                e.getMessage());
    }
}
